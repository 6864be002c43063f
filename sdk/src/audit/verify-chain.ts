import { type KeyObject } from 'node:crypto';
import { auditEventShapeProblem, type AuditEvent, isHexHash } from './audit-event';
import { type CheckpointFailureCode, type PreparedCheckpoint, prepareCheckpoints } from './checkpoint-set';
import { canonicalEventText, GENESIS_HASH, hashCanonicalEvent } from './hash-chain';

export type ChainFailureCode =
  | 'EVENT_MALFORMED'
  | 'EVENT_TOO_LARGE'
  | 'SEQUENCE_GAP'
  | 'SEQUENCE_OUT_OF_ORDER'
  | 'LINK_BROKEN'
  | 'HASH_MISMATCH'
  | 'CHECKPOINT_MISMATCH'
  | 'TAIL_TRUNCATED'
  | 'CHECKPOINT_STALE'
  /** A store's columns are no longer derived from the hashed text (reported by the store, seq 0). */
  | 'COLUMNS_UNBOUND'
  | CheckpointFailureCode;

export type ChainVerification =
  | {
      readonly ok: true;
      readonly eventsVerified: number;
      readonly head: { readonly seq: number; readonly hash: string } | null;
      /** Highest seq covered by a verified signed checkpoint (0 if none). */
      readonly anchoredThrough: number;
      /** Events after the last checkpoint: intact as a chain, but a truncation there is invisible. */
      readonly unanchoredEvents: number;
    }
  | { readonly ok: false; readonly seq: number; readonly code: ChainFailureCode; readonly message: string };

export interface VerifyChainOptions {
  /** Trusted Ed25519 public keys of the checkpoint signer. */
  readonly publicKeys: readonly KeyObject[];
  /** Signed checkpoints, ideally from storage outside the database. */
  readonly checkpoints?: readonly unknown[];
  /** The newest checkpoint this verifier saw before: a replayed older checkpoint set is stale. */
  readonly lastSeenCheckpoint?: { readonly seq: number; readonly headHash: string };
  /** Canonical size above which an event is refused. Default 256 KiB. */
  readonly maxEventBytes?: number;
}

type Failure = Extract<ChainVerification, { ok: false }>;

const fail = (seq: number, code: ChainFailureCode, message: string): Failure => ({
  ok: false,
  seq,
  code,
  message,
});

/**
 * Walks the chain from genesis in constant memory and reports the FIRST failure in sequence order:
 * per event, its shape, sequence continuity, the link to the previous hash, its own hash, then any
 * checkpoint at that seq (signature, key, checkpoint chain, head hash). After the last event,
 * checkpoints beyond the head mean a truncated tail.
 */
export function verifyChain(
  events: Iterable<unknown> | AsyncIterable<unknown>,
  options: VerifyChainOptions,
): Promise<ChainVerification> {
  return walkChain(events, options, false);
}

/**
 * An event as a store keeps it: the exact canonical text its hash covers, beside the chain members.
 * `canonical` is that text, or its UTF-8 bytes as read (hashed as they are, nothing decoded).
 * `columnsAgree` is the store's own check that every other copy of the event it holds (columns
 * readers filter on) equals this text; a store that cannot say so passes false.
 */
export interface StoredAuditRecord {
  readonly seq: number;
  readonly prevHash: string;
  readonly hash: string;
  readonly canonical: string | Uint8Array;
  readonly columnsAgree: boolean;
}

/**
 * verifyChain over a store's records: those with their canonical text are verified by hashing that
 * text (no re-serialisation), any other item as an event object (rows written before the store kept
 * the text). For the service's own reader only; untrusted input goes through verifyChain.
 */
export function verifyStoredChain(
  records: Iterable<StoredAuditRecord | AuditEvent> | AsyncIterable<StoredAuditRecord | AuditEvent>,
  options: VerifyChainOptions,
): Promise<ChainVerification> {
  return walkChain(records, options, true);
}

/**
 * verifyStoredChain driven by the store instead of pulled from it: each record is pushed as it is
 * read, then end() gives the verdict. A byte record's `canonical` may be a view valid only during
 * push (nothing of a record is kept), so a store can hand over rows straight from its read buffer.
 * push returns false once a failure is found: the rest need not be read.
 */
export interface StoredChainWalk {
  push(record: StoredAuditRecord | AuditEvent): boolean;
  end(): ChainVerification;
}

export function walkStoredChain(options: VerifyChainOptions): StoredChainWalk {
  return chainWalk(options, true);
}

function chainWalk(options: VerifyChainOptions, stored: boolean): StoredChainWalk {
  const checkpoints = withLastSeen(
    prepareCheckpoints(options.checkpoints ?? [], options.publicKeys),
    options.lastSeenCheckpoint,
  );
  const walk = new ChainWalk(checkpoints, options.maxEventBytes ?? 256 * 1024, stored);
  let failure = walk.start();
  return {
    push: (raw) => failure === undefined && (failure = walk.step(raw)) === undefined,
    end: () =>
      failure ??
      afterLastEvent(checkpoints, walk.next, walk.head(), walk.anchoredThrough, options.lastSeenCheckpoint),
  };
}

async function walkChain(
  events: Iterable<unknown> | AsyncIterable<unknown>,
  options: VerifyChainOptions,
  stored: boolean,
): Promise<ChainVerification> {
  const walk = chainWalk(options, stored);
  // A plain array or generator is walked without a microtask per event.
  if (Symbol.asyncIterator in events) {
    for await (const raw of events) if (!walk.push(raw as AuditEvent)) break;
  } else {
    for (const raw of events) if (!walk.push(raw as AuditEvent)) break;
  }
  return walk.end();
}

/** The verifier's whole state: expected seq, previous hash, next checkpoint. Constant size. */
class ChainWalk {
  private expected = 1;
  private prevHash = GENESIS_HASH;
  next = 0;
  anchoredThrough = 0;

  constructor(
    private readonly checkpoints: readonly PreparedCheckpoint[],
    private readonly maxBytes: number,
    private readonly stored: boolean,
  ) {}

  start(): Failure | undefined {
    const reached = checkpointsUpTo(this.checkpoints, 0, 0, GENESIS_HASH);
    this.next = reached.next;
    return reached.failure;
  }

  step(raw: unknown): Failure | undefined {
    const failure =
      this.stored && isStoredText((raw as Partial<StoredAuditRecord>).canonical)
        ? checkRecord(raw as StoredAuditRecord, this.expected, this.prevHash, this.maxBytes)
        : checkEvent(raw, this.expected, this.prevHash, this.maxBytes);
    if (failure !== undefined) return failure;
    const event = raw as AuditEvent;
    // Checkpoints are few: most events have none due and skip the look-up.
    const due = this.checkpoints[this.next];
    if (due !== undefined && due.seq <= event.seq) {
      const reached = checkpointsUpTo(this.checkpoints, this.next, event.seq, event.hash);
      if (reached.failure !== undefined) return reached.failure;
      // Any signed checkpoint reached anchors this event, also when a last-seen marker shares its seq.
      if (this.checkpoints.slice(this.next, reached.next).some((c) => c.signed))
        this.anchoredThrough = event.seq;
      this.next = reached.next;
    }
    this.prevHash = event.hash;
    this.expected += 1;
    return undefined;
  }

  head(): { seq: number; hash: string } | null {
    return this.expected === 1 ? null : { seq: this.expected - 1, hash: this.prevHash };
  }
}

function checkEvent(raw: unknown, expected: number, prevHash: string, maxBytes: number): Failure | undefined {
  const problem = auditEventShapeProblem(raw);
  if (problem !== undefined) {
    const seq = (raw as { seq?: unknown } | null)?.seq;
    return fail(
      typeof seq === 'number' && Number.isSafeInteger(seq) ? seq : expected,
      'EVENT_MALFORMED',
      `event malformed: ${problem}`,
    );
  }
  const event = raw as AuditEvent;
  const order = sequenceFailure(event.seq, expected);
  if (order !== undefined) return order;
  if (event.prevHash !== prevHash)
    return fail(event.seq, 'LINK_BROKEN', `event ${event.seq} does not link to event ${event.seq - 1}`);
  const canonical = canonicalEventText(event);
  // UTF-8 needs at most 3 bytes per UTF-16 unit: only long texts are measured exactly.
  if (canonical.length * 3 > maxBytes && Buffer.byteLength(canonical, 'utf8') > maxBytes)
    return fail(event.seq, 'EVENT_TOO_LARGE', `event ${event.seq} exceeds ${maxBytes} bytes`);
  if (hashCanonicalEvent(prevHash, canonical) !== event.hash)
    return fail(event.seq, 'HASH_MISMATCH', `event ${event.seq} does not match its hash`);
  return undefined;
}

function isStoredText(canonical: unknown): canonical is StoredAuditRecord['canonical'] {
  return typeof canonical === 'string' || canonical instanceof Uint8Array;
}

/** UTF-8 size above the limit; a text needs at most 3 bytes per UTF-16 unit, so only long ones are measured. */
function tooLarge(canonical: StoredAuditRecord['canonical'], maxBytes: number): boolean {
  if (typeof canonical !== 'string') return canonical.byteLength > maxBytes;
  return canonical.length * 3 > maxBytes && Buffer.byteLength(canonical, 'utf8') > maxBytes;
}

/**
 * The checks of checkEvent on a stored record: its hash over the stored text, then the store's
 * agreement. A record that passes them all is accepted in one pass first: a seq equal to the one
 * expected, a prevHash equal to the hash before and a hash equal to a digest are well formed, so
 * the format tests are only needed to name the first failure of any other, in the order below.
 */
function checkRecord(
  record: StoredAuditRecord,
  expected: number,
  prevHash: string,
  maxBytes: number,
): Failure | undefined {
  const { seq, canonical } = record;
  if (
    seq === expected &&
    record.prevHash === prevHash &&
    record.columnsAgree &&
    !tooLarge(canonical, maxBytes) &&
    hashCanonicalEvent(prevHash, canonical) === record.hash
  )
    return undefined;
  if (!Number.isSafeInteger(seq) || !isHexHash(record.prevHash) || !isHexHash(record.hash))
    return fail(expected, 'EVENT_MALFORMED', 'event malformed: seq, prevHash or hash invalid');
  const order = sequenceFailure(seq, expected);
  if (order !== undefined) return order;
  if (record.prevHash !== prevHash)
    return fail(seq, 'LINK_BROKEN', `event ${seq} does not link to event ${seq - 1}`);
  if (tooLarge(canonical, maxBytes))
    return fail(seq, 'EVENT_TOO_LARGE', `event ${seq} exceeds ${maxBytes} bytes`);
  if (hashCanonicalEvent(prevHash, canonical) !== record.hash)
    return fail(seq, 'HASH_MISMATCH', `event ${seq} does not match its hash`);
  if (!record.columnsAgree)
    return fail(seq, 'HASH_MISMATCH', `event ${seq} is stored with fields that differ from its hashed text`);
  return undefined;
}

function sequenceFailure(seq: number, expected: number): Failure | undefined {
  if (seq > expected)
    return fail(expected, 'SEQUENCE_GAP', `event ${expected} is missing (next found: ${seq})`);
  if (seq < expected)
    return fail(seq, 'SEQUENCE_OUT_OF_ORDER', `event ${seq} appears after event ${expected - 1}`);
  return undefined;
}

/** Applies every checkpoint with seq ≤ the current one; returns the index of the next. */
function checkpointsUpTo(
  checkpoints: readonly PreparedCheckpoint[],
  from: number,
  seq: number,
  hash: string,
): { next: number; failure?: Failure } {
  let index = from;
  for (
    let checkpoint = checkpoints[index];
    checkpoint !== undefined && checkpoint.seq <= seq;
    checkpoint = checkpoints[++index]
  ) {
    if (checkpoint.failure !== undefined)
      return {
        next: index,
        failure: fail(checkpoint.seq, checkpoint.failure.code, checkpoint.failure.message),
      };
    if (checkpoint.seq === seq && checkpoint.headHash !== hash)
      return {
        next: index,
        failure: fail(seq, 'CHECKPOINT_MISMATCH', `the chain head at seq ${seq} differs from the checkpoint`),
      };
  }
  return { next: index };
}

function withLastSeen(
  checkpoints: PreparedCheckpoint[],
  lastSeen: VerifyChainOptions['lastSeenCheckpoint'],
): PreparedCheckpoint[] {
  if (lastSeen === undefined) return checkpoints;
  return [...checkpoints, { seq: lastSeen.seq, headHash: lastSeen.headHash, signed: false }].sort(
    (a, b) => a.seq - b.seq,
  );
}

function afterLastEvent(
  checkpoints: readonly PreparedCheckpoint[],
  next: number,
  head: { seq: number; hash: string } | null,
  anchoredThrough: number,
  lastSeen: VerifyChainOptions['lastSeenCheckpoint'],
): ChainVerification {
  const beyond = checkpoints[next];
  const headSeq = head?.seq ?? 0;
  if (beyond !== undefined) {
    if (beyond.failure !== undefined) return fail(beyond.seq, beyond.failure.code, beyond.failure.message);
    return fail(
      headSeq + 1,
      'TAIL_TRUNCATED',
      `a checkpoint covers seq ${beyond.seq} but the chain ends at ${headSeq}`,
    );
  }
  const newestSigned = Math.max(
    0,
    ...checkpoints.filter((checkpoint) => checkpoint.signed).map((checkpoint) => checkpoint.seq),
  );
  if (lastSeen !== undefined && newestSigned < lastSeen.seq)
    return fail(
      lastSeen.seq,
      'CHECKPOINT_STALE',
      `the newest checkpoint (seq ${newestSigned}) is older than one seen before`,
    );
  return {
    ok: true,
    eventsVerified: headSeq,
    head,
    anchoredThrough,
    unanchoredEvents: headSeq - anchoredThrough,
  };
}
