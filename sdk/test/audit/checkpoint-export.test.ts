import { generateKeyPairSync } from 'node:crypto';
import {
  AuditError,
  fromCloudEvent,
  keyIdOf,
  loadEd25519PrivateKey,
  loadEd25519PublicKey,
  readCloudEventLines,
  signCheckpoint,
  toCloudEvent,
  toCloudEventLine,
  verifyChain,
  verifyCheckpoint,
} from '../../src/audit';
import { buildChain, checkpointsFor } from './chain-fixtures';

describe('Ed25519 checkpoint keys', () => {
  const pair = generateKeyPairSync('ed25519');
  const privatePem = pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const publicPem = pair.publicKey.export({ format: 'pem', type: 'spki' }).toString();
  const rawPublic = Buffer.from(pair.publicKey.export({ format: 'jwk' }).x as string, 'base64url');
  const rawSeed = Buffer.from(pair.privateKey.export({ format: 'jwk' }).d as string, 'base64url');

  it('loads the same key from PEM and from raw bytes', () => {
    const fromPem = loadEd25519PrivateKey(privatePem);
    const fromRaw = loadEd25519PrivateKey(rawSeed);
    expect(keyIdOf(fromPem)).toBe(keyIdOf(fromRaw));
    expect(keyIdOf(loadEd25519PublicKey(publicPem))).toBe(keyIdOf(loadEd25519PublicKey(rawPublic)));
    expect(keyIdOf(fromPem)).toBe(keyIdOf(pair.publicKey));
  });

  it('refuses keys that are not Ed25519', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(() =>
      loadEd25519PublicKey(rsa.publicKey.export({ format: 'pem', type: 'spki' }).toString()),
    ).toThrow(AuditError);
    expect(() => loadEd25519PrivateKey(Buffer.alloc(31))).toThrow('not an Ed25519 private key');
    expect(() => loadEd25519PublicKey('not a key')).toThrow(AuditError);
  });

  it('signs and verifies a checkpoint; any change to it breaks the signature', () => {
    const checkpoint = signCheckpoint(
      { seq: 5, headHash: 'ab'.repeat(32), time: '2026-01-01T00:00:00Z' },
      pair.privateKey,
    );
    expect(verifyCheckpoint(checkpoint, pair.publicKey)).toBe(true);
    expect(verifyCheckpoint({ ...checkpoint, seq: 6 }, pair.publicKey)).toBe(false);
    expect(verifyCheckpoint({ ...checkpoint, time: '2026-01-01T00:00:01Z' }, pair.publicKey)).toBe(false);
    expect(verifyCheckpoint(checkpoint, generateKeyPairSync('ed25519').publicKey)).toBe(false);
    expect(() => signCheckpoint({ seq: 5, headHash: 'short', time: 'now' }, pair.privateKey)).toThrow(
      AuditError,
    );
  });
});

describe('CloudEvents export', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const events = buildChain(30);
  const checkpoints = checkpointsFor(events, 10, privateKey);

  it('wraps each event verbatim in a CloudEvents 1.0 envelope', () => {
    const envelope = toCloudEvent(events[2]!);
    expect(envelope).toMatchObject({
      specversion: '1.0',
      id: events[2]!.eventId,
      source: '/charter/audit',
      type: 'io.charter.audit.payload.read',
      subject: 'crm.customers',
      time: events[2]!.time,
      charterseq: 3,
    });
    expect(fromCloudEvent(JSON.parse(JSON.stringify(envelope)))).toEqual(events[2]);
    expect(() => fromCloudEvent({ ...envelope, charterseq: 4 })).toThrow(AuditError);
  });

  it('lets an offline verifier read the JSON lines back with only the public key', async () => {
    const lines = events.map((event) => toCloudEventLine(event));
    const exported = JSON.parse(JSON.stringify(checkpoints)) as unknown[];
    expect(
      await verifyChain(readCloudEventLines(lines), { publicKeys: [publicKey], checkpoints: exported }),
    ).toMatchObject({
      ok: true,
      eventsVerified: 30,
    });
  });

  it('reports a truncated or edited line at the right seq', async () => {
    const lines = events.map((event) => toCloudEventLine(event));
    const cut = [...lines];
    cut[11] = cut[11]!.slice(0, 40);
    expect(
      await verifyChain(readCloudEventLines(cut), { publicKeys: [publicKey], checkpoints }),
    ).toMatchObject({
      ok: false,
      seq: 12,
      code: 'EVENT_MALFORMED',
    });
    const edited = [...lines];
    edited[7] = edited[7]!.replace('"outcome":"success"', '"outcome":"denied"');
    expect(
      await verifyChain(readCloudEventLines(edited), { publicKeys: [publicKey], checkpoints }),
    ).toMatchObject({
      ok: false,
      seq: 8,
      code: 'HASH_MISMATCH',
    });
  });
});
