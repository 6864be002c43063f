import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type AuditEvent, type SignedCheckpoint } from '@charter/sdk';
import { DataSource, type EntityManager } from 'typeorm';
import { type ScopeCondition, scopeSql } from '../../auth/scope-filter';

/** Any constant: every appender takes this transaction-scoped lock, so the chain stays one line. */
const CHAIN_LOCK_KEY = 7_261_504_114;

interface EventRow {
  seq: string;
  event_id: string;
  occurred_at: Date;
  actor: AuditEvent['actor'];
  action: string;
  resource: AuditEvent['resource'];
  outcome: AuditEvent['outcome'];
  reason: string | null;
  decision: AuditEvent['decision'] | null;
  request: AuditEvent['request'];
  change: AuditEvent['change'] | null;
  prev_hash: string;
  hash: string;
}

export const AUDIT_EVENT_COLUMNS =
  'seq, event_id, occurred_at, actor, action, resource, outcome, reason, decision, request, change, prev_hash, hash';
const COLUMNS = AUDIT_EVENT_COLUMNS;

/** The INSERT of one event and its parameters, in AUDIT_EVENT_COLUMNS order. */
export const INSERT_AUDIT_EVENT = `INSERT INTO audit_events (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`;

export function auditEventParameters(event: AuditEvent): unknown[] {
  return [
    event.seq,
    event.eventId,
    event.time,
    JSON.stringify(event.actor),
    event.action,
    JSON.stringify(event.resource),
    event.outcome,
    event.reason ?? null,
    event.decision === undefined ? null : JSON.stringify(event.decision),
    JSON.stringify(event.request),
    event.change === undefined ? null : JSON.stringify(event.change),
    event.prevHash,
    event.hash,
  ];
}

/** A row back into the event exactly as it was hashed (absent members stay absent). */
export function eventOfRow(row: EventRow): AuditEvent {
  return {
    seq: Number(row.seq),
    eventId: row.event_id,
    time: row.occurred_at.toISOString(),
    actor: row.actor,
    action: row.action,
    resource: row.resource,
    outcome: row.outcome,
    ...(row.reason !== null && { reason: row.reason }),
    ...(row.decision !== null && { decision: row.decision }),
    request: row.request,
    ...(row.change !== null && { change: row.change }),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

export interface AuditFilter {
  principalId?: string;
  action?: string;
  product?: string;
  fieldPath?: string;
  outcome?: string;
  from?: Date;
  to?: Date;
}

@Injectable()
export class AuditEventsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Waits for the chain lock (held until the caller's transaction ends) and reads the head. */
  async lockHead(manager: EntityManager): Promise<{ seq: number; hash: string } | null> {
    await manager.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK_KEY]);
    return this.head(manager);
  }

  async head(
    manager: EntityManager = this.dataSource.manager,
  ): Promise<{ seq: number; hash: string } | null> {
    const rows: { seq: string; hash: string }[] = await manager.query(
      'SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1',
    );
    const row = rows[0];
    return row === undefined ? null : { seq: Number(row.seq), hash: row.hash };
  }

  async insert(manager: EntityManager, event: AuditEvent): Promise<void> {
    await manager.query(INSERT_AUDIT_EVENT, auditEventParameters(event));
  }

  /**
   * Every event in seq order, read in keyset batches so memory stays flat however long the chain;
   * the next batch is fetched while the caller works through the current one.
   */
  async *all(afterSeq = 0, batchSize = 5000): AsyncGenerator<AuditEvent> {
    const batch = (after: number): Promise<EventRow[]> =>
      this.dataSource.query(`SELECT ${COLUMNS} FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2`, [
        after,
        batchSize,
      ]);
    let pending = batch(afterSeq);
    try {
      for (;;) {
        const rows = await pending;
        const last = rows[rows.length - 1];
        const more = last !== undefined && rows.length === batchSize;
        if (more) pending = batch(Number(last.seq));
        for (const row of rows) yield eventOfRow(row);
        if (!more) return;
      }
    } finally {
      // a caller that stops early (the verifier at the first failure) leaves one read in flight
      pending.catch(() => undefined);
    }
  }

  /** Newest first, after the cursor's seq, inside the reader's scope. */
  async page(
    filter: AuditFilter,
    scope: ScopeCondition,
    size: number,
    beforeSeq?: number,
  ): Promise<AuditEvent[]> {
    const values: unknown[] = [];
    const param = (value: unknown): string => {
      values.push(value);
      return `$${values.length}`;
    };
    const where = [scopeSql(scope, { productId: 'product_id', domainId: 'domain_id' }, param)];
    if (beforeSeq !== undefined) where.push(`seq < ${param(beforeSeq)}`);
    if (filter.principalId !== undefined) where.push(`principal_id = ${param(filter.principalId)}`);
    if (filter.action !== undefined) where.push(`action = ${param(filter.action)}`);
    if (filter.product !== undefined) where.push(`product = ${param(filter.product)}`);
    if (filter.outcome !== undefined) where.push(`outcome = ${param(filter.outcome)}`);
    if (filter.from !== undefined) where.push(`occurred_at >= ${param(filter.from)}`);
    if (filter.to !== undefined) where.push(`occurred_at < ${param(filter.to)}`);
    if (filter.fieldPath !== undefined)
      where.push(
        `resource @> jsonb_build_object('fieldPaths', jsonb_build_array(${param(filter.fieldPath)}::text))`,
      );
    const rows: EventRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM audit_events WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT ${param(size + 1)}`,
      values,
    );
    return rows.map(eventOfRow);
  }

  async insertCheckpoint(manager: EntityManager, checkpoint: SignedCheckpoint): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      'INSERT INTO audit_checkpoints (seq, signed) VALUES ($1, $2) ON CONFLICT (seq) DO NOTHING RETURNING seq',
      [checkpoint.seq, JSON.stringify(checkpoint)],
    );
    return rows.length > 0;
  }

  /** Stored checkpoints, oldest first; untrusted input for the verifier. */
  async checkpoints(): Promise<unknown[]> {
    const rows: { signed: unknown }[] = await this.dataSource.query(
      'SELECT signed FROM audit_checkpoints ORDER BY seq',
    );
    return rows.map((row) => row.signed);
  }

  async latestCheckpoint(
    manager: EntityManager,
  ): Promise<{ checkpoint: SignedCheckpoint; createdAt: Date } | null> {
    const rows: { signed: SignedCheckpoint; created_at: Date }[] = await manager.query(
      'SELECT signed, created_at FROM audit_checkpoints ORDER BY seq DESC LIMIT 1',
    );
    const row = rows[0];
    return row === undefined ? null : { checkpoint: row.signed, createdAt: row.created_at };
  }
}
