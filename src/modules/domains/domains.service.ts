import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ensureAllowed, ensureVisible } from '../../auth/access';
import { type Actor } from '../../auth/actor';
import { scopeFilter } from '../../auth/scope-filter';
import { conflict, notFound } from '../../common/errors/error-codes';
import { InputProblems } from '../../common/input-rules';
import { type Page, pageSize } from '../../common/pagination';
import { withoutNulls } from '../../common/without-nulls';
import { AuditLog } from '../audit/audit-log.service';
import { auditActorOf, stateHash } from '../audit/audit-entry';
import { type DomainEntity } from './domain.entity';
import { checkContacts, toContacts } from './domain-input.rules';
import { DomainsRepository } from './domains.repository';
import { type CreateDomainInput, type DomainsArgs, type UpdateDomainInput } from './dto/domain.input';
import { transactionFor } from '../../database/request-transaction';

@Injectable()
export class DomainsService {
  constructor(
    private readonly domains: DomainsRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditLog,
  ) {}

  async create(actor: Actor, input: CreateDomainInput): Promise<DomainEntity> {
    const problems = new InputProblems()
      .name('name', input.name)
      .text('description', input.description, 2000)
      .text('owningTeam', input.owningTeam, 200, true);
    checkContacts(problems, input.contacts ?? undefined).throwIfAny();
    ensureAllowed(actor, 'create', 'Domain', {});
    return transactionFor(this.dataSource, actor, async (manager) => {
      const created = await this.domains.insert(
        {
          name: input.name,
          description: input.description ?? '',
          owningTeam: input.owningTeam,
          contacts: toContacts(input.contacts ?? []),
        },
        manager,
      );
      if (!created) throw conflict(`domain ${input.name} already exists`);
      await this.audit.append(manager, {
        actor: auditActorOf(actor),
        action: 'domain.create',
        resource: { type: 'Domain', id: created.id, domainId: created.id },
        change: { afterHash: stateHash(created) },
      });
      return created;
    });
  }

  async update(actor: Actor, input: UpdateDomainInput): Promise<DomainEntity> {
    const problems = new InputProblems()
      .text('description', input.description, 2000)
      .text('owningTeam', input.owningTeam, 200, input.owningTeam != null);
    checkContacts(problems, input.contacts ?? undefined).throwIfAny();
    const current = await this.get(actor, input.name);
    ensureAllowed(actor, 'update', 'Domain', { id: current.id });
    const { name, contacts, ...changes } = withoutNulls(input);
    return transactionFor(this.dataSource, actor, async (manager) => {
      const updated = await this.domains.update(
        name ?? input.name,
        { ...changes, ...(contacts && { contacts: toContacts(contacts) }) },
        manager,
      );
      if (!updated) throw notFound(`domain ${name}`);
      await this.audit.append(manager, {
        actor: auditActorOf(actor),
        action: 'domain.update',
        resource: { type: 'Domain', id: updated.id, domainId: updated.id },
        change: { beforeHash: stateHash(current), afterHash: stateHash(updated) },
      });
      return updated;
    });
  }

  /** NOT_FOUND alike for a domain that does not exist and one the actor may not see. */
  async get(actor: Actor, name: string): Promise<DomainEntity> {
    const domain = await this.domains.findByName(name);
    if (!domain) throw notFound(`domain ${name}`);
    ensureVisible(actor, 'Domain', { id: domain.id }, `domain ${name}`);
    return domain;
  }

  async list(actor: Actor, args: DomainsArgs): Promise<Page<DomainEntity>> {
    const size = pageSize(args.first);
    const scope = scopeFilter(actor.ability, 'read', 'Domain');
    if (!scope) return { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } };
    return this.domains.list(size, args.after ?? undefined, args.text ?? undefined, scope);
  }
}
