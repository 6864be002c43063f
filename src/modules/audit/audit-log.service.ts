import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  type AuditEvent,
  type AuditEventBody,
  type AuditRequest,
  canonicalEventText,
  GENESIS_HASH,
  hashCanonicalEvent,
} from '@charter/sdk';
import { type EntityManager } from 'typeorm';
import { type PipelinedStatement, queryPipelined } from '../../database/pipelined-query';
import { requestOfTransaction } from '../../database/request-transaction';
import { type RequestContext } from '../../common/request-context';
import { type AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { CharterMetrics } from '../../observability/charter-metrics';
import { AuditCheckpointer } from './audit-checkpointer';
import { type AuditEntry } from './audit-entry';
import { auditInsertStatement, CHAIN_HEAD_STATEMENTS, chainHeadOf } from './audit-events.repository';

/** An event chained onto the head its writer read, and the statement that inserts it. */
export interface ChainedAuditEvent {
  event: AuditEvent;
  insert: PipelinedStatement;
}

export class AuditWriteError extends Error {
  readonly code = 'AUDIT_WRITE_OUTSIDE_TRANSACTION';
}

/**
 * The one way to write the audit log. `append` runs inside the caller's transaction, after its
 * change: it takes the chain lock, reads the head, chains the event and inserts it, so the change
 * and its record commit together or not at all (F-10) and the chain has no forks (T-13).
 */
@Injectable()
export class AuditLog {
  private readonly enabled: boolean;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly checkpointer: AuditCheckpointer,
    private readonly metrics: CharterMetrics,
  ) {
    this.enabled = !config.audit.disabledForBenchmark;
  }

  /** Call last in the change's transaction: the chain lock is then held only until its commit. */
  async append(manager: EntityManager, entry: AuditEntry): Promise<AuditEvent | null> {
    const statements = this.headStatements(manager);
    if (statements.length === 0) return null;
    const chained = this.chainOnto(manager, await queryPipelined(manager, statements), entry);
    if (chained === null) return null;
    await queryPipelined(manager, [chained.insert]);
    return this.recorded(chained);
  }

  /**
   * For a writer that pipelines its last statements with the chain lock: these go after them (lock,
   * then head), none when auditing is off. chainOnto then builds the event on the head they read;
   * its insert goes last in the transaction, and recorded() follows it.
   */
  headStatements(manager: EntityManager): readonly PipelinedStatement[] {
    if (!this.enabled) return [];
    if (manager.queryRunner?.isTransactionActive !== true)
      throw new AuditWriteError('an audit event must be written inside the transaction of its change');
    return CHAIN_HEAD_STATEMENTS;
  }

  /** The event of `entry` chained onto the head the head statements read (their results, last), and its insert. */
  chainOnto(
    manager: EntityManager,
    results: readonly Record<string, unknown>[][],
    entry: AuditEntry,
  ): ChainedAuditEvent | null {
    if (!this.enabled) return null;
    const head = chainHeadOf(results);
    const body = this.bodyOf((head?.seq ?? 0) + 1, entry, requestOfTransaction(manager));
    // serialised once: the text hashed is the text stored, so verification never re-serialises it
    const canonical = canonicalEventText(body);
    const prevHash = head?.hash ?? GENESIS_HASH;
    const event: AuditEvent = { ...body, prevHash, hash: hashCanonicalEvent(prevHash, canonical) };
    return { event, insert: auditInsertStatement(event, canonical) };
  }

  /** Once the insert ran: checkpoint and metrics bookkeeping. */
  recorded(chained: ChainedAuditEvent): AuditEvent {
    this.checkpointer.appended(chained.event.seq);
    this.metrics.auditAppended(chained.event.action, chained.event.seq);
    return chained.event;
  }

  private bodyOf(seq: number, entry: AuditEntry, request: RequestContext | undefined): AuditEventBody {
    return {
      seq,
      eventId: randomUUID(),
      time: new Date().toISOString(),
      actor: entry.actor,
      action: entry.action,
      resource: entry.resource,
      outcome: entry.outcome ?? 'success',
      ...(entry.reason !== undefined && { reason: entry.reason }),
      ...(entry.decision !== undefined && { decision: entry.decision }),
      request: auditRequestOf(request),
      ...(entry.change !== undefined && { change: entry.change }),
    };
  }
}

/** The request as recorded; work outside a request (startup) gets an id of its own. */
function auditRequestOf(context: RequestContext | undefined): AuditRequest {
  if (context === undefined) return { requestId: `internal-${randomUUID()}` };
  return {
    requestId: context.requestId,
    ...(context.client !== undefined && { userAgent: context.client.slice(0, 256) }),
  };
}
