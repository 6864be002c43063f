/**
 * `--state <file>`: the newest signed checkpoint this verifier accepted, kept between runs, so an
 * older checkpoint set presented later as current is reported stale (T-11) even after a restart.
 */
import { isHexHash } from '../audit/audit-event';
import { canonicalJson } from '../canonical/canonical-json';
import { UsageError, type CliIo } from './command';

export interface SeenCheckpoint {
  readonly seq: number;
  readonly headHash: string;
}

const STATE_VERSION = 1;

/** The remembered checkpoint, or undefined on a first run (no file yet). */
export function readState(io: CliIo, path: string): SeenCheckpoint | undefined {
  let text: string;
  try {
    text = io.readFile(path);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
    throw new UsageError(`cannot read the state file ${path}`, 'STATE_UNREADABLE');
  }
  try {
    const state = JSON.parse(text) as { version?: unknown; lastSeenCheckpoint?: Partial<SeenCheckpoint> };
    const seen = state.lastSeenCheckpoint;
    if (
      state.version === STATE_VERSION &&
      typeof seen?.seq === 'number' &&
      Number.isSafeInteger(seen.seq) &&
      seen.seq >= 0 &&
      isHexHash(seen.headHash)
    )
      return { seq: seen.seq, headHash: seen.headHash };
  } catch {
    // reported below
  }
  // Fail closed: a damaged state must not silently reset what the verifier remembers.
  throw new UsageError(
    `the state file ${path} is not a charter audit state (delete it only on purpose)`,
    'STATE_INVALID',
  );
}

export function writeState(io: CliIo, path: string, seen: SeenCheckpoint): void {
  if (io.writeFile === undefined)
    throw new UsageError('--state needs a writable file system', 'STATE_UNWRITABLE');
  try {
    io.writeFile(path, `${JSON.stringify({ version: STATE_VERSION, lastSeenCheckpoint: seen })}\n`);
  } catch {
    throw new UsageError(`cannot write the state file ${path}`, 'STATE_UNWRITABLE');
  }
}

/** The verified checkpoint at `seq` among those given (the verifier already checked it). */
export function checkpointAt(checkpoints: readonly unknown[], seq: number): SeenCheckpoint | undefined {
  for (const candidate of checkpoints) {
    const found = candidate as Partial<SeenCheckpoint> | null;
    if (found?.seq === seq && isHexHash(found.headHash)) return { seq, headHash: found.headHash };
  }
  return undefined;
}

/** One copy of each identical checkpoint (the same one may come from a file and from the service). */
export function distinctCheckpoints(candidates: readonly unknown[]): unknown[] {
  const seen = new Set<string>();
  return candidates.filter((candidate) => {
    let identity: string;
    try {
      identity = canonicalJson(candidate);
    } catch {
      return true; // not plain JSON: kept, and the verifier refuses it
    }
    if (seen.has(identity)) return false;
    seen.add(identity);
    return true;
  });
}
