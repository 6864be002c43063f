import { DomainError } from '../common/errors/error-codes';
import { type Action, SUBJECTS, type SubjectName } from './ability';
import { type Actor } from './actor';

/** A refusal. Its public face is a plain NOT_FOUND or FORBIDDEN; the rest is for the audit seam. */
export class AccessDeniedError extends DomainError {
  constructor(
    readonly answeredAs: 'NOT_FOUND' | 'FORBIDDEN',
    message: string,
    readonly action: Action,
    readonly subjectName: SubjectName,
  ) {
    super(answeredAs, message);
  }
}

export type SubjectFields = Record<string, unknown>;

/**
 * CASL types an untagged object by its constructor's `modelName`: an instance of one of these is
 * the subject `subject(name, {...fields})` would make, without the defineProperty that tags it
 * (a slow property definition on every check of a read).
 */
const SUBJECT_TYPES = Object.fromEntries(
  SUBJECTS.map((name) => [
    name,
    // eslint-disable-next-line @typescript-eslint/no-extraneous-class -- CASL reads the constructor's modelName
    class {
      static readonly modelName = name;
    },
  ]),
) as unknown as Record<SubjectName, new () => SubjectFields>;

export function can(actor: Actor, action: Action, subjectName: SubjectName, fields: SubjectFields): boolean {
  return actor.ability.can(action, Object.assign(new SUBJECT_TYPES[subjectName](), fields));
}

/**
 * After loading: a resource the caller may not read is answered exactly like a missing one.
 * `what` is the same text the missing case uses, e.g. `domain payments`.
 */
export function ensureVisible(
  actor: Actor,
  subjectName: SubjectName,
  fields: SubjectFields,
  what: string,
): void {
  if (!can(actor, 'read', subjectName, fields))
    throw new AccessDeniedError('NOT_FOUND', `${what} not found`, 'read', subjectName);
}

/** After ensureVisible: a write on something the caller can see but not change. */
export function ensureAllowed(
  actor: Actor,
  action: Action,
  subjectName: SubjectName,
  fields: SubjectFields,
): void {
  if (!can(actor, action, subjectName, fields)) throw forbidden(action, subjectName);
}

export function forbidden(action: Action, subjectName: SubjectName): AccessDeniedError {
  return new AccessDeniedError('FORBIDDEN', `not allowed to ${action} ${subjectName}`, action, subjectName);
}
