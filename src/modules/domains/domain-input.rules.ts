import { InputProblems } from '../../common/input-rules';
import { withoutNulls } from '../../common/without-nulls';
import { type DomainContact } from './domain.entity';
import { type ContactInput } from './dto/domain.input';

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,253}$/;
export const MAX_CONTACTS = 20;

export function checkContacts(problems: InputProblems, contacts: ContactInput[] | undefined): InputProblems {
  if (!contacts) return problems;
  problems.check(contacts.length <= MAX_CONTACTS, {
    path: 'contacts',
    code: 'TOO_MANY',
    message: `at most ${MAX_CONTACTS} contacts`,
  });
  contacts.forEach((contact, i) => {
    problems.text(`contacts.${i}.name`, contact.name, 200, true);
    problems.text(`contacts.${i}.channel`, contact.channel, 200);
    if (contact.email != null) {
      problems.check(EMAIL.test(contact.email), {
        path: `contacts.${i}.email`,
        code: 'INVALID_EMAIL',
        message: 'is not an email address',
      });
    }
  });
  return problems;
}

export function toContacts(contacts: ContactInput[]): DomainContact[] {
  return contacts.map(({ name, ...rest }) => ({ name, ...withoutNulls(rest) }));
}
