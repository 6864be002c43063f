import { Inject, Injectable } from '@nestjs/common';
import { CredentialsCache } from '../../auth/credentials-cache';
import { InjectDataSource } from '@nestjs/typeorm';
import { parseProductRef } from '@charter/sdk';
import { DataSource } from 'typeorm';
import { ensureAllowed, ensureVisible } from '../../auth/access';
import { type Actor } from '../../auth/actor';
import { auditContextOf } from '../../auth/audit-context';
import { AUDIT_RECORDER, type AuditRecorder, type GrantRecord } from '../../auth/audit-recorder';
import { type RoleBinding } from '../../auth/roles';
import { scopeFilter } from '../../auth/scope-filter';
import { conflict, notFound } from '../../common/errors/error-codes';
import { DataProductsRepository } from '../data-products/data-products.repository';
import { DomainsRepository } from '../domains/domains.repository';
import { type GrantRoleInput, type RoleGrantsArgs } from './dto/principal.input';
import { checkGrant } from './grant.rules';
import { PrincipalsService } from './principals.service';
import { type RoleGrantFilter, type RoleGrantRecord, RoleGrantsRepository } from './role-grants.repository';
import { transactionFor } from '../../database/request-transaction';

const MAX_GRANTS_LISTED = 500;

type Scope = Pick<RoleBinding, 'domainId' | 'productId'>;

@Injectable()
export class RoleGrantsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly credentialsCache: CredentialsCache,
    private readonly principals: PrincipalsService,
    private readonly grants: RoleGrantsRepository,
    private readonly domains: DomainsRepository,
    private readonly products: DataProductsRepository,
    @Inject(AUDIT_RECORDER) private readonly audit: AuditRecorder,
  ) {}

  async grant(actor: Actor, input: GrantRoleInput): Promise<RoleGrantRecord> {
    checkGrant(input);
    const principal = await this.principals.get(actor, input.principal);
    const scope = await this.resolveScope(actor, input.domain ?? undefined, input.product ?? undefined);
    ensureAllowed(actor, 'create', 'RoleGrant', { principalId: principal.id, role: input.role, ...scope });
    return transactionFor(this.dataSource, actor, async (manager) => {
      // Cached authentications of this instance stop counting now; other instances at commit.
      this.credentialsCache.invalidate();
      const grant = await this.grants.insert(
        {
          principalId: principal.id,
          role: input.role,
          ...scope,
          clearFields: [...new Set(input.clearFields ?? [])],
        },
        manager,
      );
      if (!grant) throw conflict('the principal already holds this role there');
      await this.audit.record({ type: 'role.granted', ...recordOf(grant) }, auditContextOf(actor), manager);
      return grant;
    });
  }

  async revoke(actor: Actor, id: string): Promise<RoleGrantRecord> {
    const grant = await this.visibleGrant(actor, id);
    ensureAllowed(actor, 'delete', 'RoleGrant', fieldsOf(grant));
    return transactionFor(this.dataSource, actor, async (manager) => {
      // Cached authentications of this instance stop counting now; other instances at commit.
      this.credentialsCache.invalidate();
      await this.grants.delete(grant.id, manager);
      await this.audit.record({ type: 'role.revoked', ...recordOf(grant) }, auditContextOf(actor), manager);
      return grant;
    });
  }

  async list(actor: Actor, args: RoleGrantsArgs): Promise<RoleGrantRecord[]> {
    const filter: RoleGrantFilter = {};
    if (args.principal != null) filter.principalId = (await this.principals.get(actor, args.principal)).id;
    const scope = await this.resolveScope(actor, args.domain ?? undefined, args.product ?? undefined);
    if (scope.productId !== null) filter.productId = scope.productId;
    else if (scope.domainId !== null) filter.domainId = scope.domainId;
    const visible = scopeFilter(actor.ability, 'read', 'RoleGrant');
    return visible ? this.grants.list(filter, visible, MAX_GRANTS_LISTED) : [];
  }

  private async visibleGrant(actor: Actor, id: string): Promise<RoleGrantRecord> {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
    const grant = uuid ? await this.grants.findById(id) : null;
    if (!grant) throw notFound('role grant');
    ensureVisible(actor, 'RoleGrant', fieldsOf(grant), 'role grant');
    return grant;
  }

  /** Domain or product by name, visible to the actor (else NOT_FOUND, as if absent). */
  private async resolveScope(actor: Actor, domain?: string, product?: string): Promise<Scope> {
    if (product !== undefined) {
      const ref = parseProductRef(product);
      const found = ref && (await this.products.findByName(ref.domain, ref.product));
      if (!found) throw notFound(`data product ${product}`);
      ensureVisible(
        actor,
        'DataProduct',
        { id: found.id, domainId: found.domainId },
        `data product ${product}`,
      );
      return { domainId: found.domainId, productId: found.id };
    }
    if (domain !== undefined) {
      const found = await this.domains.findByName(domain);
      if (!found) throw notFound(`domain ${domain}`);
      ensureVisible(actor, 'Domain', { id: found.id }, `domain ${domain}`);
      return { domainId: found.id, productId: null };
    }
    return { domainId: null, productId: null };
  }
}

function fieldsOf(grant: RoleGrantRecord): Record<string, unknown> {
  return {
    principalId: grant.principalId,
    role: grant.role,
    domainId: grant.domainId,
    productId: grant.productId,
  };
}

function recordOf(grant: RoleGrantRecord): GrantRecord {
  return {
    grantId: grant.id,
    principalId: grant.principalId,
    role: grant.role,
    domainId: grant.domainId,
    productId: grant.productId,
    clearFields: grant.clearFields,
  };
}
