import { type AuditEvent, type StoredAuditRecord } from '@charter/sdk';

/** What a `COPY (...) TO STDOUT (FORMAT binary)` starts with (PostgreSQL's binary COPY format). */
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const FIELDS = 6;

const Y2K_MS = Date.UTC(2000, 0, 1);
const MAX_DATE_MS = 8.64e15;

/**
 * True when seq and occurred_at, the members stored beside the text, are its last two members
 * (the columns readers see are GENERATED from the text, so these are the only ones to compare);
 * false too when occurred_at is finer than the milliseconds an event carries.
 */
function storedBesideText(seq: number, micros: number, canonical: Buffer): boolean {
  if (micros % 1000 !== 0) return false;
  const ms = micros / 1000 + Y2K_MS;
  if (!(Math.abs(ms) <= MAX_DATE_MS)) return false;
  const tail = `,"seq":${String(seq)},"time":"${new Date(ms).toISOString()}"}`;
  const from = canonical.length - tail.length;
  return from >= 0 && canonical.toString('latin1', from) === tail;
}

interface CopyConnection {
  query(text: string): void;
  sendCopyFail(message: string): void;
}

/** Takes one record as it is read; false when no more are wanted. */
export type TakeRecord = (record: StoredAuditRecord | AuditEvent) => boolean;

/** What one batch gave: how many rows were taken, the last seq seen, and whether the taker stopped. */
export interface CopiedBatch {
  readonly rows: number;
  readonly lastSeq: number;
  readonly stopped: boolean;
}

/**
 * One binary COPY of audit rows, run as a node-postgres submittable: each CopyData message (one
 * row) is parsed as it arrives, without the driver's per-field decoding or row objects, and handed
 * to `take` there and then. Rows are (seq bigint, prev_hash text, hash text, occurred_at
 * timestamptz, canonical text, legacy text): `canonical` goes as a view of its UTF-8 bytes in the driver's
 * buffer, valid only during the call (the driver reuses that buffer); a row without it (written
 * before the text was kept) has `legacy`, its columns as JSON, turned into an event by `legacyEvent`.
 */
export class AuditRecordCopy {
  readonly done: Promise<CopiedBatch>;
  /** Set by the driver when it times the query (query_timeout): called once the COPY has ended. */
  callback?: (error: Error | null) => void;
  private settle!: (error: Error | undefined) => void;
  private headerRead = false;
  private failure: Error | undefined;
  private rows = 0;
  private lastSeq = 0;
  private stopped = false;

  constructor(
    readonly text: string,
    private readonly take: TakeRecord,
    private readonly legacyEvent: (json: string) => AuditEvent,
  ) {
    this.done = new Promise((resolve, reject) => {
      let settled = false;
      this.settle = (error) => {
        if (settled) return;
        settled = true;
        this.callback?.(error ?? null);
        if (error === undefined) resolve({ rows: this.rows, lastSeq: this.lastSeq, stopped: this.stopped });
        else reject(error);
      };
    });
  }

  submit(connection: CopyConnection): void {
    connection.query(this.text);
  }

  handleCopyData(message: { chunk: Buffer }): void {
    if (this.failure !== undefined || this.stopped) return; // the rest of the batch is let through unread
    try {
      this.read(message.chunk);
    } catch (error) {
      // a row not in the expected shape (or a taker that threw): the whole read fails
      this.failure = error instanceof Error ? error : new Error('unreadable audit row');
    }
  }

  handleError(error: Error): void {
    this.settle(error);
  }

  handleReadyForQuery(): void {
    this.settle(this.failure);
  }

  handleCopyInResponse(connection: CopyConnection): void {
    connection.sendCopyFail('audit records are only read');
  }

  handleCommandComplete(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}

  /** A message holds one row (the header before the first, the trailer alone after the last). */
  private read(chunk: Buffer): void {
    let at = 0;
    if (!this.headerRead) {
      if (!chunk.subarray(0, SIGNATURE.length).equals(SIGNATURE)) throw new Error('not a binary COPY');
      at = SIGNATURE.length + 8 + chunk.readUInt32BE(SIGNATURE.length + 4);
      this.headerRead = true;
    }
    while (at < chunk.length && !this.stopped) {
      const fields = chunk.readInt16BE(at);
      if (fields === -1) return;
      if (fields !== FIELDS || chunk.readInt32BE(at + 2) !== 8) throw new Error('unexpected audit row');
      at = this.row(chunk, at + 6);
    }
  }

  /** Parses the row whose seq starts at `at` and hands it over; returns where the next row starts. */
  private row(chunk: Buffer, at: number): number {
    const seq = chunk.readUInt32BE(at) * 2 ** 32 + chunk.readUInt32BE(at + 4);
    let length = Math.max(chunk.readInt32BE(at + 8), 0);
    const prevHash = chunk.toString('latin1', at + 12, (at += 12 + length));
    length = Math.max(chunk.readInt32BE(at), 0);
    const hash = chunk.toString('latin1', at + 4, (at += 4 + length));
    length = chunk.readInt32BE(at);
    // timestamptz: microseconds since 2000-01-01 UTC, a big-endian int64
    const micros = length === 8 ? chunk.readInt32BE(at + 4) * 2 ** 32 + chunk.readUInt32BE(at + 8) : NaN;
    at += 4 + Math.max(length, 0);
    const textLength = chunk.readInt32BE(at);
    const textAt = at + 4;
    at = textAt + Math.max(textLength, 0);
    const legacyLength = chunk.readInt32BE(at);
    const legacyAt = at + 4;
    at = legacyAt + Math.max(legacyLength, 0);
    if (at > chunk.length) throw new Error('audit row cut short');
    this.rows += 1;
    this.lastSeq = seq;
    if (textLength >= 0) {
      const canonical = chunk.subarray(textAt, textAt + textLength);
      const columnsAgree = storedBesideText(seq, micros, canonical);
      this.stopped = !this.take({ seq, prevHash, hash, canonical, columnsAgree });
    } else if (legacyLength >= 0)
      this.stopped = !this.take(this.legacyEvent(chunk.toString('utf8', legacyAt, legacyAt + legacyLength)));
    else throw new Error('audit row without text or columns');
    return at;
  }
}
