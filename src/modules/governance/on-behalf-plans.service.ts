import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { can, ensureAllowed } from '../../auth/access';
import { type Actor } from '../../auth/actor';
import { CredentialsRepository } from '../../auth/credentials.repository';
import { principalActor } from '../../auth/principal-actor';
import { DomainError } from '../../common/errors/error-codes';
import { type AuditEntry, auditActorOf } from '../audit/audit-entry';
import { AuditLog } from '../audit/audit-log.service';
import { ContractVersionsService, type VersionSelector } from '../contracts/contract-versions.service';
import { type EffectivePlan, GovernanceService } from './governance.service';
import { transactionFor } from '../../database/request-transaction';

/**
 * Field plans asked for on behalf of another principal (an SDK reader configured `as` someone):
 * only a caller that manages the product's policy (governance in scope, admin) may ask, and the
 * grant is audited with both identities: the caller as actor, the principal as subject.
 */
@Injectable()
export class OnBehalfPlans {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly credentials: CredentialsRepository,
    private readonly versions: ContractVersionsService,
    private readonly governance: GovernanceService,
    private readonly audit: AuditLog,
  ) {}

  async fieldPlan(
    caller: Actor,
    principalName: string,
    productRef: string,
    selector: VersionSelector,
  ): Promise<EffectivePlan> {
    const record = await this.versions.get(caller, productRef, selector);
    const scope = { productId: record.productId, domainId: record.domainId };
    // Checked before the name is looked up: an unprivileged caller learns nothing about principals.
    ensureAllowed(caller, 'update', 'Policy', scope);
    const principal = await principalActor(this.credentials, principalName, caller);
    if (principal === null) throw new DomainError('NOT_FOUND', 'principal not found');
    if (!can(principal, 'read', 'ProductData', scope))
      throw new DomainError('FORBIDDEN', 'the principal may not read this product’s data');
    const effective = await this.governance.effectivePlan(principal, productRef, selector);
    const entry: AuditEntry = {
      actor: auditActorOf(caller),
      action: 'field-plan.grant',
      resource: {
        type: 'ProductData',
        product: effective.product,
        ...effective.scope,
        version: effective.version,
        subject: `principal:${principal.principalId}`,
        fieldPaths: effective.clearFields,
      },
      reason: `on behalf of principal ${principal.principalId}`,
      decision: { policyId: effective.contentHash, policyVersion: effective.version },
    };
    await transactionFor(this.dataSource, caller, (manager) => this.audit.append(manager, entry));
    return effective;
  }
}
