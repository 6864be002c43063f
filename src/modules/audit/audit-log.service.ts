import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  type AuditEvent,
  type AuditEventBody,
  type AuditRequest,
  canonicalEventTextAroundSeq,
  type EventTextAroundSeq,
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
import { appendAtHeadStatements, chainLinkOf } from './audit-events.repository';

/** An event waiting for its place in the chain, and the statements that give it one. */
export interface PendingAuditEvent {
  body: Omit<AuditEventBody, 'seq'>;
  text: EventTextAroundSeq;
  statements: readonly PipelinedStatement[];
}

export class AuditWriteError extends Error {
  readonly code = 'AUDIT_WRITE_OUTSIDE_TRANSACTION';
}

/**
 * The one way to write the audit log. `append` runs inside the caller's transaction, after its
 * change: it takes the chain lock and inserts the event at the head, numbered and linked by
 * PostgreSQL, so the change and its record commit together or not at all (F-10), the chain has no
 * forks (T-13) and the lock is held for the insert and the commit alone.
 */
@Injectable()
export class AuditLog {
  private readonly enabled: boolean;
  private readonly logger = new Logger('AuditLog');

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly checkpointer: AuditCheckpointer,
    private readonly metrics: CharterMetrics,
  ) {
    this.enabled = !config.audit.disabledForBenchmark;
  }

  /** Call last in the change's transaction: the chain lock is then held only until its commit. */
  async append(manager: EntityManager, entry: AuditEntry): Promise<AuditEvent | null> {
    const pending = this.pending(manager, entry);
    if (pending === null) return null;
    return this.recorded(pending, await queryPipelined(manager, pending.statements));
  }

  /**
   * For a writer that pipelines its last statements with COMMIT: the event of `entry` and the
   * statements that append it (lock, then insert), to go last before COMMIT; null when auditing is
   * off. recorded() follows with their results.
   */
  pending(manager: EntityManager, entry: AuditEntry): PendingAuditEvent | null {
    if (!this.enabled) return null;
    if (manager.queryRunner?.isTransactionActive !== true)
      throw new AuditWriteError('an audit event must be written inside the transaction of its change');
    const body = this.bodyOf(entry, requestOfTransaction(manager));
    // serialised once: the text hashed is the text stored, so verification never re-serialises it
    const text = canonicalEventTextAroundSeq(body);
    return { body, text, statements: appendAtHeadStatements(body.time, text) };
  }

  /**
   * Once the append ran (its results last in `results`): the event as stored, checkpoint and
   * metrics bookkeeping. The link PostgreSQL computed is checked against the kernel's (a few
   * microseconds, after the lock is gone): a disagreement would fail verification later, so it is
   * reported now.
   */
  recorded(pending: PendingAuditEvent, results: readonly Record<string, unknown>[][]): AuditEvent {
    const link = chainLinkOf(results);
    const kernelHash = hashCanonicalEvent(
      link.prevHash,
      pending.text.before + String(link.seq) + pending.text.after,
    );
    if (kernelHash !== link.hash)
      this.logger.error(
        `audit event ${String(link.seq)}: the stored hash is not the one the kernel computes`,
      );
    const event: AuditEvent = { seq: link.seq, ...pending.body, prevHash: link.prevHash, hash: link.hash };
    this.checkpointer.appended(event.seq);
    this.metrics.auditAppended(event.action, event.seq);
    return event;
  }

  private bodyOf(entry: AuditEntry, request: RequestContext | undefined): Omit<AuditEventBody, 'seq'> {
    return {
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
