import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  type AuditEvent,
  canonicalEventText,
  eventHashDomain,
  type EventTextAroundSeq,
  GENESIS_HASH,
  type SignedCheckpoint,
  type StoredAuditRecord,
} from '@charter/sdk';
import { DataSource, type EntityManager } from 'typeorm';
import { type PipelinedStatement } from '../../database/pipelined-query';
import { type ScopeCondition, scopeSql } from '../../auth/scope-filter';
import { AuditRecordCopy, type CopiedBatch, type TakeRecord } from './audit-record-copy';

/** Any constant: every appender takes this transaction-scoped lock, so the chain stays one line. */
const CHAIN_LOCK_KEY = 7_261_504_114;

const SELECT_HEAD = 'SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1';

export interface ChainHead {
  seq: number;
  hash: string;
}

/**
 * Appends one event at the head of the chain: seq is the head's plus one, prev_hash the head's
 * hash, the text `$3 || seq || $4` (canonicalEventTextAroundSeq) and the hash SHA-256 of the same
 * bytes hashCanonicalEvent covers ($2 is eventHashDomain()). Linking here rather than in the
 * service keeps the chain lock for this statement and the commit only, with no round trip to the
 * service while it is held. The head read takes its snapshot at this statement's Bind, which the
 * server handles only once the lock statement before it has been granted, so it sees the
 * previous holder's event.
 */
const APPEND_AT_HEAD = `INSERT INTO audit_events (seq, occurred_at, prev_hash, hash, canonical)
  SELECT head.seq, $1::timestamptz, head.prev_hash,
    encode(sha256($2::bytea || decode(head.prev_hash, 'hex') || convert_to(linked.canonical, 'UTF8')), 'hex'),
    linked.canonical
  FROM (SELECT COALESCE(last.seq, 0) + 1 AS seq, COALESCE(last.hash, $5::text) AS prev_hash
        FROM (SELECT) AS one
        LEFT JOIN LATERAL (${SELECT_HEAD}) AS last ON true) AS head,
    LATERAL (SELECT $3::text || head.seq::text || $4::text AS canonical) AS linked
  RETURNING seq, prev_hash, hash`;

const CHAIN_LOCK: PipelinedStatement = {
  name: 'charter_audit_chain_lock',
  text: `SELECT pg_advisory_xact_lock(${String(CHAIN_LOCK_KEY)})`,
  values: [],
};

const DOMAIN = eventHashDomain();

/**
 * The chain lock (held until the transaction ends), then the insert that links the event at the
 * head: run them in this order in one pipeline, last before COMMIT.
 */
export function appendAtHeadStatements(time: string, text: EventTextAroundSeq): PipelinedStatement[] {
  return [
    CHAIN_LOCK,
    {
      name: 'charter_audit_append',
      text: APPEND_AT_HEAD,
      values: [time, DOMAIN, text.before, text.after, GENESIS_HASH],
    },
  ];
}

/** Where appendAtHeadStatements put the event: its results' last row. */
export interface ChainLink {
  seq: number;
  prevHash: string;
  hash: string;
}

export function chainLinkOf(results: readonly Record<string, unknown>[][]): ChainLink {
  const row = results[results.length - 1]?.[0] as
    { seq: string; prev_hash: string; hash: string } | undefined;
  if (row === undefined) throw new Error('the audit append returned no row');
  return { seq: Number(row.seq), prevHash: row.prev_hash, hash: row.hash };
}

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
  canonical: string | null;
}

/**
 * Every writable column (`body` is GENERATED from `canonical`), for copying rows as they are.
 * stored_* hold the events written before migration 1763820000000, which have no canonical text.
 */
export const AUDIT_EVENT_COLUMNS =
  'seq, occurred_at, prev_hash, hash, canonical, stored_event_id, stored_actor, stored_action, stored_resource, stored_outcome, stored_reason, stored_decision, stored_request, stored_change';

/** What readers select: the text, and an older row's stored columns under the event's names. */
const READ_COLUMNS = `seq, occurred_at, prev_hash, hash, canonical, stored_event_id AS event_id, stored_actor AS actor,
  stored_action AS action, stored_resource AS resource, stored_outcome AS outcome, stored_reason AS reason,
  stored_decision AS decision, stored_request AS request, stored_change AS change`;
const COLUMNS = READ_COLUMNS;

/**
 * A row back into the event exactly as it was hashed: its canonical text when stored (what readers
 * see is what the hash covers), else its columns (rows from before the text was kept).
 */
export function eventOfRow(row: EventRow): AuditEvent {
  if (row.canonical !== null)
    return {
      ...(JSON.parse(row.canonical) as Omit<AuditEvent, 'prevHash' | 'hash'>),
      prevHash: row.prev_hash,
      hash: row.hash,
    };
  return eventOfColumns(row);
}

function eventOfColumns(row: EventRow): AuditEvent {
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

/**
 * The verifier's fast read: one keyset batch as a binary COPY (parsed by AuditRecordCopy, the text
 * kept as bytes, nothing decoded or re-serialised). `body`, which every filter reads, is GENERATED
 * from `canonical`, so only seq and occurred_at (stored beside it) need comparing with it, which the
 * reader does on the text's last members (here the server only reads: it is the slower side).
 * Older rows come with their stored columns as JSON. COPY takes no parameters, hence the two
 * integers written into the text.
 */
function recordsCopy(after: number, limit: number): string {
  if (!Number.isSafeInteger(after) || !Number.isSafeInteger(limit))
    throw new Error('keyset bounds are integers');
  return `COPY (SELECT e.seq, e.prev_hash, e.hash, e.occurred_at, e.canonical,
      CASE WHEN e.canonical IS NULL THEN jsonb_build_object('seq', e.seq, 'event_id', e.stored_event_id,
        'occurred_at', e.occurred_at, 'actor', e.stored_actor, 'action', e.stored_action,
        'resource', e.stored_resource, 'outcome', e.stored_outcome, 'reason', e.stored_reason,
        'decision', e.stored_decision, 'request', e.stored_request, 'change', e.stored_change,
        'prev_hash', e.prev_hash, 'hash', e.hash)::text END AS legacy
    FROM audit_events e WHERE e.seq > ${String(after)} ORDER BY e.seq LIMIT ${String(limit)}) TO STDOUT (FORMAT binary)`;
}

/** An older row's columns, as recordsCopy sends them, back into its event. */
function legacyEvent(json: string): AuditEvent {
  const row = JSON.parse(json) as Omit<EventRow, 'occurred_at'> & { occurred_at: string };
  return eventOfColumns({ ...row, occurred_at: new Date(row.occurred_at) });
}

/** Whether `body` is still GENERATED from the hashed text, with the expression it must have. */
const BODY_COLUMN = `
  SELECT a.attgenerated = 's' AS generated, pg_get_expr(d.adbin, d.adrelid) AS expression
  FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  WHERE a.attrelid = 'audit_events'::regclass AND a.attname = 'body' AND NOT a.attisdropped`;

const BODY_FROM_TEXT = '(canonical)::jsonb';

/**
 * What filters read: the hashed text's members (`body`, parsed once by PostgreSQL at insert),
 * else an older row's stored_* columns. Migration 1763840000000 indexes these same expressions.
 */
const FILTER_SQL = {
  principalId: `(COALESCE(body -> 'actor', stored_actor) ->> 'principalId')`,
  action: `COALESCE(body ->> 'action', stored_action)`,
  product: `(COALESCE(body -> 'resource', stored_resource) ->> 'product')`,
  productId: `(COALESCE(body -> 'resource', stored_resource) ->> 'productId')`,
  domainId: `(COALESCE(body -> 'resource', stored_resource) ->> 'domainId')`,
  outcome: `COALESCE(body ->> 'outcome', stored_outcome)`,
  resource: `COALESCE(body -> 'resource', stored_resource)`,
} as const;

/** The event members filters read from `body`, each falling back on its stored_* column. */
const FILTERED_MEMBERS = {
  eventId: 'stored_event_id',
  actor: 'stored_actor',
  action: 'stored_action',
  resource: 'stored_resource',
  outcome: 'stored_outcome',
  reason: 'stored_reason',
  decision: 'stored_decision',
  request: 'stored_request',
  change: 'stored_change',
} as const;

type FullRow = EventRow & { body: Record<string, unknown> | null } & Record<`stored_${string}`, unknown>;

/** The event as filters see it: each member from `body`, else from its stored column. */
function eventFiltersSee(row: FullRow): AuditEvent {
  const seen = (member: keyof typeof FILTERED_MEMBERS): unknown =>
    row.body?.[member] ?? row[FILTERED_MEMBERS[member]] ?? null;
  return eventOfColumns({
    ...row,
    event_id: seen('eventId') as string,
    actor: seen('actor') as AuditEvent['actor'],
    action: seen('action') as string,
    resource: seen('resource') as AuditEvent['resource'],
    outcome: seen('outcome') as AuditEvent['outcome'],
    reason: seen('reason') as string | null,
    decision: seen('decision') as AuditEvent['decision'] | null,
    request: seen('request') as AuditEvent['request'],
    change: seen('change') as AuditEvent['change'] | null,
  });
}

/**
 * The slow, exact read for a table whose `body` is no longer generated: what filters see must be
 * what was hashed. An older row is walked as that event (its hash then checks it); a row with its
 * text is compared with it.
 */
function recordComparedHere(row: FullRow): StoredAuditRecord | AuditEvent {
  if (row.canonical === null) return eventFiltersSee(row);
  let agrees: boolean;
  try {
    agrees = canonicalEventText(eventFiltersSee(row)) === row.canonical;
  } catch {
    agrees = false; // a column holding no JSON value the writer could have produced
  }
  return {
    seq: Number(row.seq),
    prevHash: row.prev_hash,
    hash: row.hash,
    canonical: row.canonical,
    columnsAgree: agrees,
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

  async head(manager: EntityManager = this.dataSource.manager): Promise<ChainHead | null> {
    const [row] = await manager.query<{ seq: string; hash: string }[]>(SELECT_HEAD);
    return row === undefined ? null : { seq: Number(row.seq), hash: row.hash };
  }

  /**
   * Columns that should be GENERATED from the hashed text but are not (any more), or carry another
   * expression: an owner who dropped the expression can edit `body`, which every filter reads.
   */
  async unboundColumns(): Promise<string[]> {
    const [column] =
      await this.dataSource.query<{ generated: boolean; expression: string | null }[]>(BODY_COLUMN);
    return column?.generated === true && column.expression === BODY_FROM_TEXT ? [] : ['body'];
  }

  /**
   * Every row in seq order as the verifier needs it, handed to `take` as it is read, in keyset
   * batches: rows with their canonical text as its UTF-8 bytes (a view valid during the call;
   * nothing parsed or re-serialised here), older rows as events. Nothing is held beyond the row at
   * hand, so memory stays flat however long the chain. Reading ends after the batch in which `take`
   * returns false. `exact`: compare every column with the text, for a table whose columns are unbound.
   */
  async eachRecord(exact: boolean, take: TakeRecord, batchSize = 10_000): Promise<void> {
    for (let after = 0; ;) {
      const batch = exact
        ? await this.comparedRecords(after, batchSize, take)
        : await this.copyRecords(after, batchSize, take);
      if (batch.stopped || batch.rows < batchSize) return;
      after = batch.lastSeq;
    }
  }

  /** One batch of eachRecord by a binary COPY on a pooled connection of its own. */
  private async copyRecords(after: number, limit: number, take: TakeRecord): Promise<CopiedBatch> {
    const runner = this.dataSource.createQueryRunner();
    try {
      const client = (await runner.connect()) as { query(copy: AuditRecordCopy): unknown };
      const copy = new AuditRecordCopy(recordsCopy(after, limit), take, legacyEvent);
      client.query(copy);
      return await copy.done;
    } finally {
      await runner.release();
    }
  }

  /** One batch of eachRecord with every column read and compared with the text here. */
  private async comparedRecords(after: number, limit: number, take: TakeRecord): Promise<CopiedBatch> {
    const rows: FullRow[] = await this.dataSource.query(
      'SELECT * FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2',
      [after, limit],
    );
    let taken = 0;
    for (const row of rows) {
      taken += 1;
      if (!take(recordComparedHere(row))) return { rows: taken, lastSeq: Number(row.seq), stopped: true };
    }
    return { rows: taken, lastSeq: Number(rows[rows.length - 1]?.seq ?? after), stopped: false };
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
    const where = [
      scopeSql(scope, { productId: FILTER_SQL.productId, domainId: FILTER_SQL.domainId }, param),
    ];
    if (beforeSeq !== undefined) where.push(`seq < ${param(beforeSeq)}`);
    if (filter.principalId !== undefined)
      where.push(`${FILTER_SQL.principalId} = ${param(filter.principalId)}`);
    if (filter.action !== undefined) where.push(`${FILTER_SQL.action} = ${param(filter.action)}`);
    if (filter.product !== undefined) where.push(`${FILTER_SQL.product} = ${param(filter.product)}`);
    if (filter.outcome !== undefined) where.push(`${FILTER_SQL.outcome} = ${param(filter.outcome)}`);
    if (filter.from !== undefined) where.push(`occurred_at >= ${param(filter.from)}`);
    if (filter.to !== undefined) where.push(`occurred_at < ${param(filter.to)}`);
    if (filter.fieldPath !== undefined)
      where.push(
        `${FILTER_SQL.resource} @> jsonb_build_object('fieldPaths', jsonb_build_array(${param(filter.fieldPath)}::text))`,
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
