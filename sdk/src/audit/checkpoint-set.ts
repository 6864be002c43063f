import { type KeyObject } from 'node:crypto';
import {
  checkpointHash,
  checkpointShapeProblem,
  keyIdOf,
  type SignedCheckpoint,
  verifyCheckpoint,
} from './checkpoint';

export type CheckpointFailureCode =
  | 'CHECKPOINT_MALFORMED'
  | 'CHECKPOINT_KEY_UNKNOWN'
  | 'CHECKPOINT_SIGNATURE_INVALID'
  | 'CHECKPOINT_CHAIN_BROKEN';

/** A checkpoint the walk compares against when it reaches `seq`; `failure` if it cannot be trusted. */
export interface PreparedCheckpoint {
  readonly seq: number;
  readonly headHash: string;
  readonly signed: boolean;
  readonly failure?: { readonly code: CheckpointFailureCode; readonly message: string };
}

/**
 * Checks every checkpoint's signature against the trusted keys and the checkpoints' own chain
 * (previous links, non-decreasing time, one head per seq). Failures are kept with their seq so the
 * walk reports them in sequence order. Small by nature: one checkpoint per N events.
 */
export function prepareCheckpoints(
  raw: readonly unknown[],
  publicKeys: readonly KeyObject[],
): PreparedCheckpoint[] {
  const keys = new Map(publicKeys.map((key) => [keyIdOf(key), key]));
  const prepared: PreparedCheckpoint[] = [];
  const valid: SignedCheckpoint[] = [];
  for (const candidate of raw) {
    const problem = checkpointShapeProblem(candidate);
    if (problem !== undefined) {
      const seq = (candidate as { seq?: unknown } | null)?.seq;
      const at = typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= 0 ? seq : 0;
      prepared.push({
        seq: at,
        headHash: '',
        signed: true,
        failure: { code: 'CHECKPOINT_MALFORMED', message: `checkpoint malformed: ${problem}` },
      });
    } else valid.push(candidate as SignedCheckpoint);
  }
  valid.sort((a, b) => a.seq - b.seq || Date.parse(a.time) - Date.parse(b.time));
  let before: SignedCheckpoint | undefined;
  for (const checkpoint of valid) {
    const failure = checkpointFailure(checkpoint, keys.get(checkpoint.keyId), before);
    prepared.push({
      seq: checkpoint.seq,
      headHash: checkpoint.headHash,
      signed: true,
      ...(failure === undefined ? {} : { failure }),
    });
    if (failure === undefined) before = checkpoint;
  }
  return prepared.sort((a, b) => a.seq - b.seq);
}

function checkpointFailure(
  checkpoint: SignedCheckpoint,
  key: KeyObject | undefined,
  before: SignedCheckpoint | undefined,
): PreparedCheckpoint['failure'] {
  if (key === undefined)
    return {
      code: 'CHECKPOINT_KEY_UNKNOWN',
      message: `checkpoint at seq ${checkpoint.seq} is signed by an untrusted key`,
    };
  if (!verifyCheckpoint(checkpoint, key))
    return {
      code: 'CHECKPOINT_SIGNATURE_INVALID',
      message: `checkpoint at seq ${checkpoint.seq} has an invalid signature`,
    };
  if (before === undefined) return undefined;
  if (checkpoint.previous !== undefined && checkpoint.previous !== checkpointHash(before))
    return {
      code: 'CHECKPOINT_CHAIN_BROKEN',
      message: `checkpoint at seq ${checkpoint.seq} does not link to the checkpoint at seq ${before.seq}`,
    };
  if (Date.parse(checkpoint.time) < Date.parse(before.time))
    return {
      code: 'CHECKPOINT_CHAIN_BROKEN',
      message: `checkpoint at seq ${checkpoint.seq} is older than the one at seq ${before.seq}`,
    };
  if (checkpoint.seq === before.seq && checkpoint.headHash !== before.headHash)
    return {
      code: 'CHECKPOINT_CHAIN_BROKEN',
      message: `two checkpoints sign different heads at seq ${checkpoint.seq}`,
    };
  return undefined;
}
