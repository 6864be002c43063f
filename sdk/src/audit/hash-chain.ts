import { createHash, hash as oneShotHash } from 'node:crypto';
import { type AuditEvent, type AuditEventBody } from './audit-event';
import { canonicalAuditEventText } from './canonical-event';

/** The previous hash of event 1: 32 zero bytes, hex. */
export const GENESIS_HASH = '0'.repeat(64);

/** Domain separation: an event hash can never pass for a checkpoint or for another system's hash. */
const EVENT_DOMAIN = Buffer.from('charter-audit-v1\n\x00', 'latin1');

/** The event as hashed: every member except prevHash and hash. */
export function hashedBody(event: AuditEventBody | AuditEvent): AuditEventBody {
  const { prevHash: _prevHash, hash: _hash, ...body } = event as AuditEvent;
  return body;
}

/**
 * The canonical JSON (RFC 8785) an event hash covers: every member but prevHash and hash. Equal to
 * canonicalJson(hashedBody(event)); written by the serializer specialised for the event's shape.
 */
export function canonicalEventText(event: AuditEventBody | AuditEvent): string {
  return canonicalAuditEventText(event);
}

/** The bytes an event hash covers after the domain prefix and previous hash: its canonical JSON (RFC 8785). */
export function canonicalEventBytes(event: AuditEventBody | AuditEvent): Buffer {
  return Buffer.from(canonicalEventText(event), 'utf8');
}

/** SHA-256( "charter-audit-v1\n" ‖ 0x00 ‖ prevHash (32 bytes) ‖ canonical JSON of the event ), hex. */
export function hashEvent(prevHash: string, event: AuditEventBody | AuditEvent): string {
  return hashCanonicalEvent(prevHash, canonicalEventText(event));
}

/** Where an event's text starts in the bytes its hash covers: after the domain prefix and the previous hash. */
const TEXT_AT = EVENT_DOMAIN.length + 32;

// The bytes an event hash covers, laid out in one reused buffer (the domain prefix written once) and
// digested by the one-shot crypto.hash: about half the cost of a Hash object and three updates on
// ~800-byte events. Safe to share: hashing is synchronous, so no two calls interleave.
let scratch = Buffer.alloc(0);

function scratchFor(size: number): Buffer {
  if (size > scratch.length) {
    scratch = Buffer.allocUnsafeSlow(Math.max(size, 64 * 1024));
    EVENT_DOMAIN.copy(scratch, 0);
  }
  return scratch;
}

/** hashEvent over the canonical form already computed (the verifier checks its size first). */
export function hashCanonicalEvent(prevHash: string, canonical: Uint8Array | string): string {
  const room = typeof canonical === 'string' ? canonical.length * 3 : canonical.byteLength;
  const bytes = scratchFor(TEXT_AT + room);
  // A previous hash that is not 32 bytes of hex decodes to fewer bytes: hashed as decoded, like update(…, 'hex').
  if (bytes.write(prevHash, EVENT_DOMAIN.length, 32, 'hex') !== 32 || prevHash.length !== 64) {
    const hash = createHash('sha256').update(EVENT_DOMAIN).update(prevHash, 'hex');
    return (typeof canonical === 'string' ? hash.update(canonical, 'utf8') : hash.update(canonical)).digest(
      'hex',
    );
  }
  let length: number;
  if (typeof canonical === 'string') length = bytes.write(canonical, TEXT_AT, 'utf8');
  else {
    bytes.set(canonical, TEXT_AT);
    length = canonical.byteLength;
  }
  return oneShotHash('sha256', new Uint8Array(bytes.buffer, bytes.byteOffset, TEXT_AT + length), 'hex');
}

/** The bytes every event hash starts with, for a writer that links events where the chain head is. */
export function eventHashDomain(): Buffer {
  return Buffer.from(EVENT_DOMAIN);
}

/** An event's canonical text on either side of its seq: the text is `before + String(seq) + after`. */
export interface EventTextAroundSeq {
  readonly before: string;
  readonly after: string;
}

/**
 * The canonical text of an event whose seq is assigned later, by the writer that holds the chain
 * head (PostgreSQL, under the chain lock). seq is the second-last member and time the last, so
 * `after` is the time alone; the hash is then hashCanonicalEvent(prevHash, before + seq + after).
 */
export function canonicalEventTextAroundSeq(body: Omit<AuditEventBody, 'seq'>): EventTextAroundSeq {
  const text = canonicalEventText({ ...body, seq: 0 });
  const after = `,"time":${JSON.stringify(body.time)}}`;
  const seqAt = text.length - after.length - 1;
  if (!text.endsWith(after) || text.slice(seqAt - 6, seqAt + 1) !== '"seq":0')
    throw new TypeError('an audit event body needs a string time and no members after it');
  return { before: text.slice(0, seqAt), after };
}

/** Chains a body after the given previous hash (GENESIS_HASH for seq 1). */
export function chainEvent(prevHash: string, body: AuditEventBody): AuditEvent {
  return { ...hashedBody(body), prevHash, hash: hashEvent(prevHash, body) };
}
