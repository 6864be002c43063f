import { createHash } from 'node:crypto';
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

/** hashEvent over the canonical form already computed (the verifier checks its size first). */
export function hashCanonicalEvent(prevHash: string, canonical: Uint8Array | string): string {
  const hash = createHash('sha256').update(EVENT_DOMAIN).update(prevHash, 'hex');
  return (typeof canonical === 'string' ? hash.update(canonical, 'utf8') : hash.update(canonical)).digest(
    'hex',
  );
}

/** Chains a body after the given previous hash (GENESIS_HASH for seq 1). */
export function chainEvent(prevHash: string, body: AuditEventBody): AuditEvent {
  return { ...hashedBody(body), prevHash, hash: hashEvent(prevHash, body) };
}
