import { createPublicKey } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { canonicalJson, type ChainVerification, walkStoredChain } from '@charter/sdk';
import { AuditCheckpointer } from './audit-checkpointer';
import { AuditEventsRepository } from './audit-events.repository';

export type ServiceVerification = ChainVerification & { readonly checkpointsChecked: number };

/**
 * One signed checkpoint may be both in the database and in the directory: count it once. Only
 * identical copies merge; a copy with any member changed stays and fails verification.
 */
export function distinctCheckpoints(candidates: readonly unknown[]): unknown[] {
  const seen = new Set<string>();
  return candidates.filter((candidate) => {
    const identity = identityOf(candidate);
    if (identity === undefined) return true;
    if (seen.has(identity)) return false;
    seen.add(identity);
    return true;
  });
}

function identityOf(candidate: unknown): string | undefined {
  try {
    return canonicalJson(candidate);
  } catch {
    return undefined; // not plain JSON: kept, and the verifier refuses it
  }
}

/**
 * Walks the whole chain with the kernel's verifier against every checkpoint we hold, those written
 * outside the database first: a truncated tail or a rewritten history is caught by them.
 */
@Injectable()
export class AuditVerifier {
  /** The newest checkpoint a verification here accepted (T-11: an older set shown later is stale); also kept on disk. */
  private lastSeen: { seq: number; headHash: string } | undefined;

  constructor(
    private readonly events: AuditEventsRepository,
    private readonly checkpointer: AuditCheckpointer,
  ) {}

  /** Every checkpoint held, those written outside the database first, each once. */
  async heldCheckpoints(): Promise<unknown[]> {
    return distinctCheckpoints([
      ...(await this.checkpointer.outsideCheckpoints()),
      ...(await this.events.checkpoints()),
    ]);
  }

  async verify(): Promise<ServiceVerification> {
    const key = this.checkpointer.signingKey;
    const checkpoints = await this.heldCheckpoints();
    const remembered = await this.checkpointer.rememberedSeen();
    const lastSeen = newer(newer(this.lastSeen, remembered), this.checkpointer.newestSigned);
    const unbound = await this.events.unboundColumns();
    // Columns no longer generated from the text may have been edited: compare each row exactly.
    const walk = walkStoredChain({
      publicKeys: key === null ? [] : [createPublicKey(key)],
      checkpoints,
      ...(lastSeen !== undefined && { lastSeenCheckpoint: lastSeen }),
    });
    // Each row is walked as it is read, straight from the driver's buffer.
    await this.events.eachRecord(unbound.length > 0, (record) => walk.push(record));
    const result = walk.end();
    if (result.ok && result.head !== null && result.anchoredThrough > 0) {
      const accepted = anchorOf(checkpoints, result.anchoredThrough);
      this.lastSeen = newer(this.lastSeen, accepted);
      if (accepted !== undefined && accepted.seq > (remembered?.seq ?? 0))
        await this.checkpointer.rememberSeen(accepted);
    }
    if (result.ok && unbound.length > 0)
      return {
        ok: false,
        seq: 0,
        code: 'COLUMNS_UNBOUND',
        message: `audit_events columns no longer generated from the hashed text: ${unbound.join(', ')}`,
        checkpointsChecked: checkpoints.length,
      };
    return { ...result, checkpointsChecked: checkpoints.length };
  }
}

type Seen = { seq: number; headHash: string } | undefined;

function newer(a: Seen, b: Seen): Seen {
  if (a === undefined) return b;
  return b === undefined || a.seq >= b.seq ? a : b;
}

/** The verified checkpoint at `seq` (the verifier already checked its signature and head). */
function anchorOf(checkpoints: readonly unknown[], seq: number): Seen {
  const found = checkpoints.find((candidate) => (candidate as { seq?: unknown } | null)?.seq === seq) as
    { seq: number; headHash: string } | undefined;
  return found === undefined ? undefined : { seq: found.seq, headHash: found.headHash };
}
