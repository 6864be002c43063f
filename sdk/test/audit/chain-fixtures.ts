import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import {
  type AuditEvent,
  type AuditEventBody,
  chainEvent,
  checkpointHash,
  GENESIS_HASH,
  type SignedCheckpoint,
  signCheckpoint,
} from '../../src/audit';

export function eventBody(seq: number): AuditEventBody {
  return {
    seq,
    eventId: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    time: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
    actor: { principalId: `user-${seq % 7}`, authMethod: 'oidc', roles: ['producer'] },
    action: seq % 3 === 0 ? 'payload.read' : 'contract.version.publish',
    resource: { type: 'contract', product: 'crm.customers', version: seq, fieldPaths: ['/email'] },
    outcome: 'success',
    reason: 'allowed by role producer',
    decision: { policyId: 'policy-crm', policyVersion: 3, ruleId: 'access[0]' },
    request: { requestId: `req-${seq}`, clientId: 'cli' },
    change: { afterHash: 'a'.repeat(64), toVersion: seq },
  };
}

export function buildChain(count: number): AuditEvent[] {
  const events: AuditEvent[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= count; seq += 1) {
    const event = chainEvent(prev, eventBody(seq));
    events.push(event);
    prev = event.hash;
  }
  return events;
}

/** Re-chains events from an index on, as an owner who recomputes every later hash would. */
export function rechainFrom(events: AuditEvent[], from: number): AuditEvent[] {
  const out = events.slice(0, from);
  let prev = from === 0 ? GENESIS_HASH : (out[from - 1] as AuditEvent).hash;
  for (const [offset, event] of events.slice(from).entries()) {
    const { prevHash: _p, hash: _h, ...body } = event;
    const rechained = chainEvent(prev, { ...body, seq: from + offset + 1 });
    out.push(rechained);
    prev = rechained.hash;
  }
  return out;
}

export function signerKeys(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('ed25519');
}

/** Checkpoints every `every` events, chained to each other. */
export function checkpointsFor(
  events: readonly AuditEvent[],
  every: number,
  privateKey: KeyObject,
): SignedCheckpoint[] {
  const out: SignedCheckpoint[] = [];
  for (const event of events) {
    if (event.seq % every !== 0) continue;
    const before = out.at(-1);
    const body = { seq: event.seq, headHash: event.hash, time: event.time };
    out.push(
      signCheckpoint(before === undefined ? body : { ...body, previous: checkpointHash(before) }, privateKey),
    );
  }
  return out;
}
