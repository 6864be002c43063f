import { Args, Query, Resolver } from '@nestjs/graphql';
import { type AuditEvent } from '@charter/sdk';
import { type Actor } from '../../auth/actor';
import { CurrentActor, Requires } from '../../auth/decorators';
import { type Page } from '../../common/pagination';
import { AuditReader } from './audit-reader.service';
import {
  AuditEventConnection,
  AuditEventModel,
  AuditEventsArgs,
  AuditVerificationModel,
} from './audit.models';

@Resolver(() => AuditEventModel)
export class AuditResolver {
  constructor(private readonly reader: AuditReader) {}

  @Query(() => AuditEventConnection, {
    description: 'Audit events newest first, filtered; limited to the products and domains you audit.',
  })
  @Requires('read', 'AuditLog')
  auditEvents(@CurrentActor() actor: Actor, @Args() args: AuditEventsArgs): Promise<Page<AuditEvent>> {
    return this.reader.list(actor, args);
  }

  @Query(() => AuditVerificationModel, {
    description:
      'Walks the whole chain from genesis (sequence, links, hashes, signed checkpoints) and reports the first failure. Unscoped governance only.',
  })
  @Requires('read', 'AuditLog')
  async auditVerification(@CurrentActor() actor: Actor): Promise<AuditVerificationModel> {
    const result = await this.reader.verify(actor);
    if (!result.ok)
      return {
        intact: false,
        eventsVerified: Math.max(0, result.seq - 1),
        headSeq: null,
        headHash: null,
        anchoredThrough: 0,
        unanchoredEvents: 0,
        checkpointsChecked: result.checkpointsChecked,
        failure: { seq: result.seq, code: result.code, message: result.message },
      };
    return {
      intact: true,
      eventsVerified: result.eventsVerified,
      headSeq: result.head?.seq ?? null,
      headHash: result.head?.hash ?? null,
      anchoredThrough: result.anchoredThrough,
      unanchoredEvents: result.unanchoredEvents,
      checkpointsChecked: result.checkpointsChecked,
      failure: null,
    };
  }
}
