import { Injectable } from '@nestjs/common';
import { type AuditEvent, toCloudEventLine } from '@charter/sdk';
import { ensureAllowed } from '../../auth/access';
import { type Actor } from '../../auth/actor';
import { scopeFilter } from '../../auth/scope-filter';
import { invalidInput } from '../../common/errors/error-codes';
import { decodeCursor, type Page, pageSize, toPage } from '../../common/pagination';
import { withoutNulls } from '../../common/without-nulls';
import { AuditEventsRepository } from './audit-events.repository';
import { type ServiceVerification, AuditVerifier } from './audit-verifier';
import { type AuditEventsArgs } from './audit.models';

/** The whole log (verify, export) is for unscoped governance; an id no scoped rule can match proves it. */
function ensureWholeLog(actor: Actor): void {
  ensureAllowed(actor, 'read', 'AuditLog', { productId: 'every-product', domainId: 'every-domain' });
}

@Injectable()
export class AuditReader {
  constructor(
    private readonly events: AuditEventsRepository,
    private readonly verifier: AuditVerifier,
  ) {}

  /** Newest first, limited to the products and domains the reader's audit grants cover. */
  async list(actor: Actor, args: AuditEventsArgs): Promise<Page<AuditEvent>> {
    const size = pageSize(args.first);
    const scope = scopeFilter(actor.ability, 'read', 'AuditLog');
    if (!scope) return { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } };
    const before = args.after ? Number(decodeCursor(args.after, 1)[0]) : undefined;
    if (before !== undefined && !Number.isSafeInteger(before))
      throw invalidInput('the cursor is not one this API issued', [
        { path: 'after', code: 'INVALID_CURSOR', message: 'unknown cursor' },
      ]);
    const filter = withoutNulls(args.filter ?? {});
    const rows = await this.events.page(filter, scope, size, before);
    return toPage(rows, size, (event) => [String(event.seq)]);
  }

  verify(actor: Actor): Promise<ServiceVerification> {
    ensureWholeLog(actor);
    return this.verifier.verify();
  }

  /** CloudEvents 1.0 JSON lines, oldest first, from after `afterSeq`; `data` is the event as hashed. */
  exportLines(actor: Actor, afterSeq: number): AsyncGenerator<string> {
    ensureWholeLog(actor); // before the first byte is sent, so a refusal is a plain error response
    return this.lines(afterSeq);
  }

  /** Signed checkpoints as held (untrusted until a verifier checks their signatures). */
  checkpoints(actor: Actor): Promise<unknown[]> {
    ensureWholeLog(actor);
    return this.verifier.heldCheckpoints();
  }

  private async *lines(afterSeq: number): AsyncGenerator<string> {
    for await (const event of this.events.all(afterSeq)) yield `${toCloudEventLine(event)}\n`;
  }
}
