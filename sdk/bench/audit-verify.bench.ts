/**
 * npm run bench:audit — audit chain verification speed (events/s) beside a baseline of raw SHA-256
 * over the same canonical bytes, in one run.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import {
  type AuditEvent,
  type AuditEventBody,
  canonicalEventBytes,
  chainEvent,
  GENESIS_HASH,
  type SignedCheckpoint,
  signCheckpoint,
  verifyChain,
} from '../src/audit';

const EVENTS = 100_000;
const CHECKPOINT_EVERY = 1000;

function body(seq: number): AuditEventBody {
  return {
    seq,
    eventId: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    time: new Date(Date.UTC(2026, 0, 1) + seq * 1000).toISOString(),
    actor: {
      principalId: `user-${seq % 50}`,
      principalType: 'user',
      authMethod: 'oidc',
      roles: ['producer', 'reader'],
    },
    action: seq % 4 === 0 ? 'payload.read' : 'contract.version.publish',
    resource: {
      type: 'contract',
      product: 'crm.customers',
      version: seq % 20,
      fieldPaths: ['/email', '/contacts/*/phone'],
    },
    outcome: 'success',
    reason: 'allowed by role producer',
    decision: { policyId: 'policy-crm', policyVersion: 3, ruleId: 'access[0]' },
    request: { requestId: `req-${seq}`, clientId: 'charter-cli', sourceAddress: '10.0.0.7' },
    change: { beforeHash: 'b'.repeat(64), afterHash: 'a'.repeat(64), fromVersion: 1, toVersion: 2 },
  };
}

async function main(): Promise<void> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const events: AuditEvent[] = [];
  const checkpoints: SignedCheckpoint[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= EVENTS; seq += 1) {
    const event = chainEvent(prev, body(seq));
    events.push(event);
    prev = event.hash;
    if (seq % CHECKPOINT_EVERY === 0)
      checkpoints.push(signCheckpoint({ seq, headHash: prev, time: event.time }, privateKey));
  }
  const bytes = events.map((event) => canonicalEventBytes(event));

  const rawStart = process.hrtime.bigint();
  for (const canonical of bytes) createHash('sha256').update(canonical).digest('hex');
  const rawSeconds = Number(process.hrtime.bigint() - rawStart) / 1e9;

  const verifyStart = process.hrtime.bigint();
  const result = await verifyChain(events, { publicKeys: [publicKey], checkpoints });
  const verifySeconds = Number(process.hrtime.bigint() - verifyStart) / 1e9;
  if (!result.ok) throw new Error(`bench chain did not verify: ${result.code}`);

  const rate = (seconds: number) =>
    `${Math.round(EVENTS / seconds)
      .toLocaleString('en-US')
      .padStart(11)} events/s`;
  const averageBytes = Math.round(bytes.reduce((sum, canonical) => sum + canonical.length, 0) / EVENTS);
  console.log(
    `audit verify: ${EVENTS.toLocaleString('en-US')} events (~${averageBytes} canonical bytes each), ${checkpoints.length} signed checkpoints (node ${process.version})`,
  );
  console.log(`  baseline raw sha-256 over the canonical bytes ${rate(rawSeconds)}`);
  const verdict = EVENTS / verifySeconds >= 100_000 ? 'met' : 'MISSED';
  console.log(
    `  verifyChain (shape, links, canonical JSON, sha-256, checkpoints) ${rate(verifySeconds)}  ×${(rawSeconds / verifySeconds).toFixed(2)} of raw  goal ≥ 100,000: ${verdict}`,
  );
}

void main();
