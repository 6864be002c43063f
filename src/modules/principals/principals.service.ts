import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ensureAllowed, ensureVisible } from '../../auth/access';
import { type Actor } from '../../auth/actor';
import { auditContextOf } from '../../auth/audit-context';
import { AUDIT_RECORDER, type AuditRecorder } from '../../auth/audit-recorder';
import { scopeFilter } from '../../auth/scope-filter';
import { conflict, notFound } from '../../common/errors/error-codes';
import { InputProblems } from '../../common/input-rules';
import { type Page, pageSize } from '../../common/pagination';
import { type ApiKeyRecord, ApiKeysRepository } from './api-keys.repository';
import { type CreatePrincipalInput, type PrincipalsArgs } from './dto/principal.input';
import { type PrincipalRecord, PrincipalsRepository } from './principals.repository';
import { type RoleGrantRecord, RoleGrantsRepository } from './role-grants.repository';
import { transactionFor } from '../../database/request-transaction';

const MAX_GRANTS_LISTED = 500;

@Injectable()
export class PrincipalsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly principals: PrincipalsRepository,
    private readonly keys: ApiKeysRepository,
    private readonly grants: RoleGrantsRepository,
    @Inject(AUDIT_RECORDER) private readonly audit: AuditRecorder,
  ) {}

  async create(actor: Actor, input: CreatePrincipalInput): Promise<PrincipalRecord> {
    new InputProblems()
      .name('name', input.name)
      .text('displayName', input.displayName, 200)
      .text('jwtSubject', input.jwtSubject, 255, input.jwtSubject != null)
      .throwIfAny();
    ensureAllowed(actor, 'create', 'Principal', {});
    return transactionFor(this.dataSource, actor, async (manager) => {
      const outcome = await this.principals.insert(
        {
          name: input.name,
          kind: input.kind,
          displayName: input.displayName ?? '',
          jwtSubject: input.jwtSubject ?? null,
        },
        manager,
      );
      if (outcome.kind === 'taken') throw conflict('the principal name or JWT subject is taken');
      const { principal } = outcome;
      await this.audit.record(
        { type: 'principal.created', principalId: principal.id, name: principal.name, kind: principal.kind },
        auditContextOf(actor),
        manager,
      );
      return principal;
    });
  }

  async get(actor: Actor, name: string): Promise<PrincipalRecord> {
    const principal = await this.principals.findByName(name);
    const what = `principal ${name}`;
    if (!principal) throw notFound(what);
    ensureVisible(actor, 'Principal', { id: principal.id }, what);
    return principal;
  }

  list(actor: Actor, args: PrincipalsArgs): Promise<Page<PrincipalRecord>> {
    const size = pageSize(args.first);
    const scope = scopeFilter(actor.ability, 'read', 'Principal');
    if (!scope) return Promise.resolve({ nodes: [], pageInfo: { hasNextPage: false, endCursor: null } });
    return this.principals.list(size, args.after ?? undefined, scope);
  }

  /** The keys of a principal this actor may see (metadata only). */
  keysOf(actor: Actor, principal: PrincipalRecord): Promise<ApiKeyRecord[]> {
    const scope = scopeFilter(actor.ability, 'read', 'ApiKey');
    return scope ? this.keys.listForPrincipal(principal.id, scope) : Promise.resolve([]);
  }

  /** The grants of a principal this actor may see: an owner sees those inside its scope only. */
  grantsOf(actor: Actor, principal: PrincipalRecord): Promise<RoleGrantRecord[]> {
    const scope = scopeFilter(actor.ability, 'read', 'RoleGrant');
    return scope
      ? this.grants.list({ principalId: principal.id }, scope, MAX_GRANTS_LISTED)
      : Promise.resolve([]);
  }
}
