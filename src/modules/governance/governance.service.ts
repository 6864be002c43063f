import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  type Anonymizer,
  compileAnonymizer,
  type FieldPlan,
  type KeyProvider,
  type WrappedDataKey,
} from '@charter/sdk';
import { DataSource } from 'typeorm';
import { ensureAllowed } from '../../auth/access';
import { type Actor } from '../../auth/actor';
import { type ProductScope } from '../../auth/field-access';
import { InputProblems } from '../../common/input-rules';
import { CharterMetrics } from '../../observability/charter-metrics';
import { type AuditEntry, auditActorOf } from '../audit/audit-entry';
import { AuditLog } from '../audit/audit-log.service';
import { type ContractVersionRecord } from '../contracts/contract-versions.repository';
import { ContractVersionsService, type VersionSelector } from '../contracts/contract-versions.service';
import { DataKeysService } from './data-keys.service';
import { clearPathsOf, planFor, plansEncryption } from './field-plans';
import { kernelFailure } from './governance-errors';
import { KEY_PROVIDER } from './master-keys';
import { transactionFor } from '../../database/request-transaction';

export const MAX_READ_PAYLOADS = 1000;
export const MAX_PURPOSE_LENGTH = 200;

export interface EffectivePlan {
  scope: ProductScope;
  product: string;
  version: number;
  contentHash: string;
  plan: FieldPlan;
  dataKeys: WrappedDataKey[];
  clearFields: string[];
}

export interface ReadPayloadsResult {
  product: string;
  version: number;
  records: Record<string, unknown>[];
  clearFields: string[];
}

/**
 * How many planned fields each operator (`clear` for released unchanged) treats in one record:
 * leaves, and containers decided as a whole (the others are decided by their children).
 */
function operatorCounts(plan: FieldPlan): Map<string, number> {
  const counts = new Map<string, number>();
  for (const field of plan.fields) {
    if (field.kind !== 'leaf' && !field.whole) continue;
    const operator = field.decision === 'clear' ? 'clear' : field.decision.operator;
    counts.set(operator, (counts.get(operator) ?? 0) + 1);
  }
  return counts;
}

const scopeOf = (record: ContractVersionRecord): ProductScope => ({
  productId: record.productId,
  domainId: record.domainId,
});

/** Reads payloads as the caller may see them and hands out field plans; every release is audited. */
@Injectable()
export class GovernanceService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(KEY_PROVIDER) private readonly keys: KeyProvider,
    private readonly versions: ContractVersionsService,
    private readonly dataKeys: DataKeysService,
    private readonly audit: AuditLog,
    private readonly metrics: CharterMetrics,
  ) {}

  /** The caller's plan for one version; the grant itself is audited like a read. */
  async fieldPlan(actor: Actor, productRef: string, selector: VersionSelector): Promise<EffectivePlan> {
    const effective = await this.effectivePlan(actor, productRef, selector);
    await this.record(actor, effective, 'field-plan.grant', 'the field plan was handed out');
    return effective;
  }

  async readPayloads(
    actor: Actor,
    productRef: string,
    selector: VersionSelector,
    payloads: readonly unknown[],
    purpose: string,
  ): Promise<ReadPayloadsResult> {
    new InputProblems()
      .text('purpose', purpose, MAX_PURPOSE_LENGTH, true)
      .check(payloads.length >= 1 && payloads.length <= MAX_READ_PAYLOADS, {
        path: 'payloads',
        code: 'OUT_OF_RANGE',
        message: `1 to ${MAX_READ_PAYLOADS} payloads`,
      })
      .throwIfAny();
    const effective = await this.effectivePlan(actor, productRef, selector);
    const anonymize = await this.compile(effective);
    const records = payloads.map((payload, index) => {
      try {
        return anonymize(payload);
      } catch (error) {
        throw kernelFailure(error, `payloads/${index}`);
      }
    });
    // Committed before anything is returned: no release without its record.
    await this.record(actor, effective, 'payload.read', `purpose: ${purpose.trim()}`, records.length);
    for (const [operator, fields] of operatorCounts(effective.plan))
      this.metrics.anonymizedFields('read', operator, fields * records.length);
    return {
      product: effective.product,
      version: effective.version,
      records,
      clearFields: effective.clearFields,
    };
  }

  async effectivePlan(actor: Actor, productRef: string, selector: VersionSelector): Promise<EffectivePlan> {
    const record = await this.versions.get(actor, productRef, selector);
    ensureAllowed(actor, 'read', 'ProductData', { ...scopeOf(record) });
    let plan: FieldPlan;
    try {
      plan = planFor(actor, scopeOf(record), record.document);
    } catch (error) {
      throw kernelFailure(error, 'policy');
    }
    const dataKeys = plansEncryption(plan)
      ? await this.dataKeys
          .ensure({ productId: record.productId, product: record.product })
          .catch((error: unknown) => {
            throw kernelFailure(error, 'dataKeys');
          })
      : [];
    return {
      scope: scopeOf(record),
      product: record.product,
      version: record.version,
      contentHash: record.contentHash,
      plan,
      dataKeys,
      clearFields: clearPathsOf(plan),
    };
  }

  async compile(effective: EffectivePlan): Promise<Anonymizer> {
    try {
      return await compileAnonymizer(effective.plan, this.keys, {
        product: effective.product,
        dataKeys: effective.dataKeys,
      });
    } catch (error) {
      throw kernelFailure(error, 'keys');
    }
  }

  private async record(
    actor: Actor,
    effective: EffectivePlan,
    action: string,
    reason: string,
    records?: number,
  ): Promise<void> {
    const entry: AuditEntry = {
      actor: auditActorOf(actor),
      action,
      resource: {
        type: 'ProductData',
        product: effective.product,
        ...effective.scope,
        version: effective.version,
        fieldPaths: effective.clearFields,
      },
      reason,
      decision: { policyId: effective.contentHash, policyVersion: effective.version },
      ...(records !== undefined && { change: { summary: `${records} records` } }),
    };
    await transactionFor(this.dataSource, actor, (manager) => this.audit.append(manager, entry));
  }
}
