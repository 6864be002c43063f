import { Injectable } from '@nestjs/common';
import { conflict, notFound } from '../../common/errors/error-codes';
import { InputProblems } from '../../common/input-rules';
import { type Page, pageSize } from '../../common/pagination';
import { withoutNulls } from '../../common/without-nulls';
import { type DomainEntity } from './domain.entity';
import { checkContacts, toContacts } from './domain-input.rules';
import { DomainsRepository } from './domains.repository';
import { type CreateDomainInput, type DomainsArgs, type UpdateDomainInput } from './dto/domain.input';

@Injectable()
export class DomainsService {
  constructor(private readonly domains: DomainsRepository) {}

  async create(input: CreateDomainInput): Promise<DomainEntity> {
    const problems = new InputProblems()
      .name('name', input.name)
      .text('description', input.description, 2000)
      .text('owningTeam', input.owningTeam, 200, true);
    checkContacts(problems, input.contacts ?? undefined).throwIfAny();
    const created = await this.domains.insert({
      name: input.name,
      description: input.description ?? '',
      owningTeam: input.owningTeam,
      contacts: toContacts(input.contacts ?? []),
    });
    if (!created) throw conflict(`domain ${input.name} already exists`);
    return created;
  }

  async update(input: UpdateDomainInput): Promise<DomainEntity> {
    const problems = new InputProblems()
      .text('description', input.description, 2000)
      .text('owningTeam', input.owningTeam, 200, input.owningTeam != null);
    checkContacts(problems, input.contacts ?? undefined).throwIfAny();
    const { name, contacts, ...changes } = withoutNulls(input);
    const updated = await this.domains.update(name ?? input.name, {
      ...changes,
      ...(contacts && { contacts: toContacts(contacts) }),
    });
    if (!updated) throw notFound(`domain ${name}`);
    return updated;
  }

  async get(name: string): Promise<DomainEntity> {
    const domain = await this.domains.findByName(name);
    if (!domain) throw notFound(`domain ${name}`);
    return domain;
  }

  list(args: DomainsArgs): Promise<Page<DomainEntity>> {
    return this.domains.list(pageSize(args.first), args.after ?? undefined, args.text ?? undefined);
  }
}
