import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  compileGlob,
  type FieldDecision,
  globCovers,
  type KeyProvider,
  type PolicyDocument,
  resolveFieldPolicy,
  revealValue,
  type Treatment,
} from '@charter/sdk';
import { DataSource } from 'typeorm';
import { ensureAllowed, forbidden } from '../../auth/access';
import { type Actor } from '../../auth/actor';
import { clearFieldsOf, type ProductScope } from '../../auth/field-access';
import { invalidInput } from '../../common/errors/error-codes';
import { InputProblems } from '../../common/input-rules';
import { CharterMetrics } from '../../observability/charter-metrics';
import { type AuditEntry, auditActorOf } from '../audit/audit-entry';
import { AuditLog } from '../audit/audit-log.service';
import { type ContractVersionRecord } from '../contracts/contract-versions.repository';
import { ContractVersionsService, type VersionSelector } from '../contracts/contract-versions.service';
import { DataKeysService } from './data-keys.service';
import { kernelFailure } from './governance-errors';
import { KEY_PROVIDER } from './master-keys';
import { transactionFor } from '../../database/request-transaction';

export const MAX_REVEAL_VALUES = 100;
export const MAX_JUSTIFICATION_LENGTH = 500;

export interface RevealRequest {
  product: string;
  version: VersionSelector;
  field: string;
  values: readonly unknown[];
  justification: string;
  /** Master key version the FPE values were made with; default the current one. */
  fpeKeyVersion?: number;
}

/**
 * Decrypts `encrypt` and `fpe` outputs for the few who may: the caller must be allowed to manage
 * the product's policy and to read the field in clear (governance by default, not admin), state a
 * justification, and every call is audited, successful or not.
 */
@Injectable()
export class RevealService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(KEY_PROVIDER) private readonly keys: KeyProvider,
    private readonly versions: ContractVersionsService,
    private readonly dataKeys: DataKeysService,
    private readonly audit: AuditLog,
    private readonly metrics: CharterMetrics,
  ) {}

  async reveal(actor: Actor, request: RevealRequest): Promise<unknown[]> {
    new InputProblems()
      .text('justification', request.justification, MAX_JUSTIFICATION_LENGTH, true)
      .check(request.values.length >= 1 && request.values.length <= MAX_REVEAL_VALUES, {
        path: 'values',
        code: 'OUT_OF_RANGE',
        message: `1 to ${MAX_REVEAL_VALUES} values`,
      })
      .throwIfAny();
    const record = await this.versions.get(actor, request.product, request.version);
    const scope: ProductScope = { productId: record.productId, domainId: record.domainId };
    ensureAllowed(actor, 'update', 'Policy', { ...scope });
    if (!clearFieldsOf(actor.ability, scope).some((glob) => globCovers(compileGlob(glob), request.field)))
      throw forbidden('readClear', 'ProductData');
    const treatment = protectedTreatment(record, request.field);
    const dataKeys = await this.dataKeys.list({ productId: record.productId, product: record.product });
    const keys = {
      keyProvider: this.keys,
      product: record.product,
      dataKeys,
      ...(request.fpeKeyVersion !== undefined && { fpeKeyVersion: request.fpeKeyVersion }),
    };
    const revealed: unknown[] = [];
    try {
      for (const value of request.values)
        revealed.push(await revealValue(value, { path: request.field, treatment }, keys));
    } catch (error) {
      await this.record(actor, record, request, 'error');
      throw kernelFailure(error, 'values');
    }
    await this.record(actor, record, request, 'success');
    this.metrics.anonymizedFields('reveal', treatment.operator, revealed.length);
    return revealed;
  }

  private async record(
    actor: Actor,
    record: ContractVersionRecord,
    request: RevealRequest,
    outcome: 'success' | 'error',
  ): Promise<void> {
    const entry: AuditEntry = {
      actor: auditActorOf(actor),
      action: 'value.reveal',
      resource: {
        type: 'ProductData',
        product: record.product,
        productId: record.productId,
        domainId: record.domainId,
        version: record.version,
        fieldPaths: [request.field],
      },
      outcome,
      reason: `justification: ${request.justification.trim()}`,
      decision: { policyId: record.contentHash, policyVersion: record.version },
      change: { summary: `${request.values.length} values` },
    };
    await transactionFor(this.dataSource, actor, (manager) => this.audit.append(manager, entry));
  }
}

/** The treatment a principal without any clear access gets on the field: what made the values. */
function protectedTreatment(record: ContractVersionRecord, field: string): Treatment {
  const document = record.document;
  const policy = (document['policy'] ?? {}) as PolicyDocument;
  let decision: FieldDecision | undefined;
  try {
    const plan = resolveFieldPolicy(
      { schema: document['schema'], policy: { ...policy, access: [] } },
      { roles: [] },
    );
    decision = plan.fields.find((planned) => planned.path === field)?.decision;
  } catch (error) {
    throw kernelFailure(error, 'policy');
  }
  if (decision === undefined || decision === 'clear' || !['encrypt', 'fpe'].includes(decision.operator))
    throw invalidInput('the field is not reversible', [
      { path: 'field', code: 'NOT_REVERSIBLE', message: 'only encrypt and fpe outputs can be revealed' },
    ]);
  return decision;
}
