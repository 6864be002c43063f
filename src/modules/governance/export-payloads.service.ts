import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  assertKAnonymous,
  type AuditOutcome,
  DEFAULT_K,
  KAnonymityError,
  type KAnonymityReport,
  MAX_K,
  quasiIdentifierPaths,
} from '@charter/sdk';
import { DataSource } from 'typeorm';
import { type Actor } from '../../auth/actor';
import { DomainError } from '../../common/errors/error-codes';
import { InputProblems } from '../../common/input-rules';
import { type AuditEntry, auditActorOf } from '../audit/audit-entry';
import { AuditLog } from '../audit/audit-log.service';
import { type VersionSelector } from '../contracts/contract-versions.service';
import { kernelFailure } from './governance-errors';
import {
  type EffectivePlan,
  GovernanceService,
  MAX_PURPOSE_LENGTH,
  MAX_READ_PAYLOADS,
} from './governance.service';
import { transactionFor } from '../../database/request-transaction';

export interface ExportRequest {
  product: string;
  version: VersionSelector;
  payloads: readonly unknown[];
  purpose: string;
  k?: number | undefined;
}

export interface ExportResult {
  quasiIdentifiers: string[];
  groups: number;
  smallestGroup: number;
  k: number;
  product: string;
  version: number;
  records: Record<string, unknown>[];
  clearFields: string[];
}

/**
 * Exports: payloads as the caller may see them (the same plan as readPayloads), released only as
 * a whole dataset whose quasi-identifier groups (fields tagged `qi:*`) each hold at least k
 * records. A refusal is K_ANONYMITY_NOT_MET with the smallest group size; both are audited.
 */
@Injectable()
export class ExportPayloadsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly governance: GovernanceService,
    private readonly audit: AuditLog,
  ) {}

  async exportPayloads(actor: Actor, request: ExportRequest): Promise<ExportResult> {
    const k = request.k ?? DEFAULT_K;
    new InputProblems()
      .text('purpose', request.purpose, MAX_PURPOSE_LENGTH, true)
      .check(request.payloads.length >= 1 && request.payloads.length <= MAX_READ_PAYLOADS, {
        path: 'payloads',
        code: 'OUT_OF_RANGE',
        message: `1 to ${MAX_READ_PAYLOADS} payloads`,
      })
      .check(Number.isInteger(k) && k >= 2 && k <= MAX_K, {
        path: 'k',
        code: 'OUT_OF_RANGE',
        message: `k is an integer in 2..${MAX_K}`,
      })
      .throwIfAny();
    const effective = await this.governance.effectivePlan(actor, request.product, request.version);
    const anonymize = await this.governance.compile(effective);
    const records = request.payloads.map((payload, index) => {
      try {
        return anonymize(payload);
      } catch (error) {
        throw kernelFailure(error, `payloads/${index}`);
      }
    });
    let report: KAnonymityReport;
    try {
      report = assertKAnonymous(records, quasiIdentifierPaths(effective.plan), k);
    } catch (error) {
      if (!(error instanceof KAnonymityError)) throw kernelFailure(error, 'k');
      await this.record(actor, effective, 'denied', `K_ANONYMITY_NOT_MET: ${error.message}`, records.length);
      throw new DomainError('INVALID_INPUT', `export refused: ${error.message}`, [
        { path: 'payloads', code: 'K_ANONYMITY_NOT_MET', message: error.message },
      ]);
    }
    const summary = `purpose: ${request.purpose.trim()}; ${report.groups} groups, smallest ${report.smallestGroup}, k ${k}`;
    await this.record(actor, effective, 'success', summary, records.length);
    return {
      product: effective.product,
      version: effective.version,
      records,
      clearFields: effective.clearFields,
      quasiIdentifiers: [...report.quasiIdentifiers],
      groups: report.groups,
      smallestGroup: report.smallestGroup,
      k,
    };
  }

  private async record(
    actor: Actor,
    effective: EffectivePlan,
    outcome: AuditOutcome,
    reason: string,
    records: number,
  ): Promise<void> {
    const entry: AuditEntry = {
      actor: auditActorOf(actor),
      action: 'payload.export',
      resource: {
        type: 'ProductData',
        product: effective.product,
        ...effective.scope,
        version: effective.version,
        fieldPaths: effective.clearFields,
      },
      outcome,
      reason,
      decision: { policyId: effective.contentHash, policyVersion: effective.version },
      change: { summary: `${records} records` },
    };
    await transactionFor(this.dataSource, actor, (manager) => this.audit.append(manager, entry));
  }
}
