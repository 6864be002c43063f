import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { canonicalJson } from '../canonical/canonical-json';
import { AuditError } from './audit-error';
import { isHexHash } from './audit-event';

/** The chain head at one moment, optionally linked to the previous signed checkpoint. */
export interface CheckpointBody {
  readonly seq: number;
  readonly headHash: string;
  /** ISO 8601 UTC. */
  readonly time: string;
  /** checkpointHash() of the previous checkpoint, so checkpoints form their own chain. */
  readonly previous?: string;
}

export interface SignedCheckpoint extends CheckpointBody {
  /** First 16 bytes (hex) of SHA-256 of the raw Ed25519 public key. */
  readonly keyId: string;
  /** Ed25519 signature, base64url. */
  readonly signature: string;
}

const CHECKPOINT_DOMAIN = 'charter-checkpoint-v1\n\x01';
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** An Ed25519 private key from PEM (PKCS#8) or its raw 32-byte seed. */
export function loadEd25519PrivateKey(input: string | Uint8Array): KeyObject {
  const key =
    typeof input === 'string'
      ? tryKey(() => createPrivateKey(input))
      : input.length === 32
        ? tryKey(() =>
            createPrivateKey({
              key: Buffer.concat([PKCS8_ED25519_PREFIX, input]),
              format: 'der',
              type: 'pkcs8',
            }),
          )
        : undefined;
  if (key?.asymmetricKeyType !== 'ed25519') throw new AuditError('KEY_INVALID', 'not an Ed25519 private key');
  return key;
}

/** An Ed25519 public key from PEM (SPKI) or its raw 32 bytes. */
export function loadEd25519PublicKey(input: string | Uint8Array): KeyObject {
  const key =
    typeof input === 'string'
      ? tryKey(() => createPublicKey(input))
      : input.length === 32
        ? tryKey(() =>
            createPublicKey({
              key: Buffer.concat([SPKI_ED25519_PREFIX, input]),
              format: 'der',
              type: 'spki',
            }),
          )
        : undefined;
  if (key?.asymmetricKeyType !== 'ed25519') throw new AuditError('KEY_INVALID', 'not an Ed25519 public key');
  return key;
}

function tryKey(load: () => KeyObject): KeyObject | undefined {
  try {
    return load();
  } catch {
    return undefined;
  }
}

export function keyIdOf(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(SPKI_ED25519_PREFIX.length);
  return createHash('sha256').update(raw).digest('hex').slice(0, 32);
}

function signedBytes(body: CheckpointBody, keyId: string): Buffer {
  const { seq, headHash, time, previous } = body;
  return Buffer.from(CHECKPOINT_DOMAIN + canonicalJson({ seq, headHash, time, previous, keyId }), 'utf8');
}

export function signCheckpoint(body: CheckpointBody, privateKey: KeyObject): SignedCheckpoint {
  if (
    !Number.isSafeInteger(body.seq) ||
    body.seq < 0 ||
    !isHexHash(body.headHash) ||
    Number.isNaN(Date.parse(body.time))
  )
    throw new AuditError('CHECKPOINT_INVALID', 'a checkpoint needs seq, a sha-256 head hash and a time');
  const keyId = keyIdOf(privateKey);
  const signature = sign(null, signedBytes(body, keyId), privateKey).toString('base64url');
  return { ...body, keyId, signature };
}

/** True only when the signature is valid for this key and the checkpoint's own key id names this key. */
export function verifyCheckpoint(checkpoint: SignedCheckpoint, publicKey: KeyObject): boolean {
  if (checkpoint.keyId !== keyIdOf(publicKey)) return false;
  try {
    return verify(
      null,
      signedBytes(checkpoint, checkpoint.keyId),
      publicKey,
      Buffer.from(checkpoint.signature, 'base64url'),
    );
  } catch {
    return false;
  }
}

/** The identity of a signed checkpoint, for the `previous` link of the next one. */
export function checkpointHash(checkpoint: SignedCheckpoint): string {
  return createHash('sha256').update(CHECKPOINT_DOMAIN).update(canonicalJson(checkpoint)).digest('hex');
}

/** Why an untrusted value is not a signed checkpoint, or undefined. */
export function checkpointShapeProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not an object';
  const record = value as Readonly<Record<string, unknown>>;
  const seq = record['seq'];
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0)
    return 'seq is not a non-negative integer';
  if (!isHexHash(record['headHash'])) return 'headHash is not sha-256 hex';
  if (typeof record['time'] !== 'string' || Number.isNaN(Date.parse(record['time'])))
    return 'time is not a timestamp';
  if (record['previous'] !== undefined && !isHexHash(record['previous']))
    return 'previous is not sha-256 hex';
  if (typeof record['keyId'] !== 'string' || typeof record['signature'] !== 'string')
    return 'keyId/signature missing';
  return undefined;
}
