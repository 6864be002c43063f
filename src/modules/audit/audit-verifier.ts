import { createPublicKey } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type ChainVerification, verifyChain } from '@charter/sdk';
import { AuditCheckpointer } from './audit-checkpointer';
import { AuditEventsRepository } from './audit-events.repository';

export type ServiceVerification = ChainVerification & { readonly checkpointsChecked: number };

/** One signed checkpoint may be both in the database and in the directory: count it once. */
export function distinctCheckpoints(candidates: readonly unknown[]): unknown[] {
  const seen = new Set<string>();
  return candidates.filter((candidate) => {
    const signature = (candidate as { signature?: unknown } | null)?.signature;
    if (typeof signature !== 'string') return true;
    if (seen.has(signature)) return false;
    seen.add(signature);
    return true;
  });
}

/**
 * Walks the whole chain with the kernel's verifier against every checkpoint we hold, those written
 * outside the database first: a truncated tail or a rewritten history is caught by them.
 */
@Injectable()
export class AuditVerifier {
  constructor(
    private readonly events: AuditEventsRepository,
    private readonly checkpointer: AuditCheckpointer,
  ) {}

  async verify(): Promise<ServiceVerification> {
    const key = this.checkpointer.signingKey;
    const checkpoints = distinctCheckpoints([
      ...(await this.checkpointer.outsideCheckpoints()),
      ...(await this.events.checkpoints()),
    ]);
    const result = await verifyChain(this.events.all(), {
      publicKeys: key === null ? [] : [createPublicKey(key)],
      checkpoints,
    });
    return { ...result, checkpointsChecked: checkpoints.length };
  }
}
