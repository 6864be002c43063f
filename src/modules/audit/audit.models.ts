import { ArgsType, Field, Float, InputType, Int, ObjectType } from '@nestjs/graphql';
import { PageInfo } from '../../common/pagination';

@ObjectType('AuditActor', { description: 'Who acted, how they authenticated, their roles then.' })
export class AuditActorModel {
  @Field(() => String) principalId: string;
  @Field(() => String, { nullable: true }) principalType?: string;
  @Field(() => String) authMethod: string;
  @Field(() => [String]) roles: string[];
}

@ObjectType('AuditResource', { description: 'What was acted on: ids and field paths, never values.' })
export class AuditResourceModel {
  @Field(() => String) type: string;
  @Field(() => String, { nullable: true }) id?: string;
  @Field(() => String, { nullable: true }) product?: string;
  @Field(() => String, { nullable: true }) productId?: string;
  @Field(() => String, { nullable: true }) domainId?: string;
  @Field(() => String, { nullable: true }) subject?: string;
  @Field(() => Int, { nullable: true }) version?: number;
  @Field(() => [String], { nullable: true }) fieldPaths?: string[];
}

@ObjectType('AuditDecision')
export class AuditDecisionModel {
  @Field(() => String) policyId: string;
  @Field(() => Int, { nullable: true }) policyVersion?: number;
  @Field(() => String, { nullable: true }) ruleId?: string;
}

@ObjectType('AuditRequest')
export class AuditRequestModel {
  @Field(() => String) requestId: string;
  @Field(() => String, { nullable: true }) correlationId?: string;
  @Field(() => String, { nullable: true }) clientId?: string;
  @Field(() => String, { nullable: true }) sourceAddress?: string;
  @Field(() => String, { nullable: true }) userAgent?: string;
}

@ObjectType('AuditChange', { description: 'Hashes of the before and after states and version numbers.' })
export class AuditChangeModel {
  @Field(() => String, { nullable: true }) beforeHash?: string;
  @Field(() => String, { nullable: true }) afterHash?: string;
  @Field(() => Int, { nullable: true }) fromVersion?: number;
  @Field(() => Int, { nullable: true }) toVersion?: number;
  @Field(() => String, { nullable: true }) summary?: string;
}

@ObjectType('AuditEvent', { description: 'One link of the audit hash chain.' })
export class AuditEventModel {
  @Field(() => Float, { description: 'Dense sequence number from 1.' }) seq: number;
  @Field(() => String) eventId: string;
  @Field(() => String, { description: 'ISO 8601 UTC, exactly as hashed.' }) time: string;
  @Field(() => AuditActorModel) actor: AuditActorModel;
  @Field(() => String) action: string;
  @Field(() => AuditResourceModel) resource: AuditResourceModel;
  @Field(() => String, { description: 'success, denied, invalid or error.' }) outcome: string;
  @Field(() => String, { nullable: true }) reason?: string;
  @Field(() => AuditDecisionModel, { nullable: true }) decision?: AuditDecisionModel;
  @Field(() => AuditRequestModel) request: AuditRequestModel;
  @Field(() => AuditChangeModel, { nullable: true }) change?: AuditChangeModel;
  @Field(() => String) prevHash: string;
  @Field(() => String) hash: string;
}

@ObjectType('AuditEventConnection')
export class AuditEventConnection {
  @Field(() => [AuditEventModel]) nodes: AuditEventModel[];
  @Field(() => PageInfo) pageInfo: PageInfo;
}

@InputType()
export class AuditEventFilter {
  @Field(() => String, { nullable: true }) principalId?: string | null;
  @Field(() => String, { nullable: true }) action?: string | null;
  @Field(() => String, { nullable: true, description: 'A product ref, `domain.product`.' }) product?:
    string | null;
  @Field(() => String, { nullable: true, description: 'Events naming this field path.' }) fieldPath?:
    string | null;
  @Field(() => String, { nullable: true }) outcome?: string | null;
  @Field(() => Date, { nullable: true, description: 'From this time, inclusive.' }) from?: Date | null;
  @Field(() => Date, { nullable: true, description: 'Before this time.' }) to?: Date | null;
}

@ArgsType()
export class AuditEventsArgs {
  @Field(() => Int, { nullable: true, description: 'Page size, 1-100 (default 20).' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Newest first: the endCursor of the page before.' })
  after?: string | null;

  @Field(() => AuditEventFilter, { nullable: true })
  filter?: AuditEventFilter | null;
}

@ObjectType('AuditChainFailure', { description: 'The first failure in sequence order.' })
export class AuditChainFailureModel {
  @Field(() => Float) seq: number;
  @Field(() => String, { description: 'e.g. HASH_MISMATCH, SEQUENCE_GAP, LINK_BROKEN, TAIL_TRUNCATED.' })
  code: string;
  @Field(() => String) message: string;
}

@ObjectType('AuditVerification')
export class AuditVerificationModel {
  @Field(() => Boolean, { description: 'True only when every event and checkpoint checks out.' })
  intact: boolean;
  @Field(() => Float) eventsVerified: number;
  @Field(() => Float, { nullable: true }) headSeq: number | null;
  @Field(() => String, { nullable: true }) headHash: string | null;
  @Field(() => Float, { description: 'Highest seq covered by a valid signed checkpoint.' })
  anchoredThrough: number;
  @Field(() => Float, { description: 'Events after the last checkpoint: a truncation there is invisible.' })
  unanchoredEvents: number;
  @Field(() => Int) checkpointsChecked: number;
  @Field(() => AuditChainFailureModel, { nullable: true }) failure: AuditChainFailureModel | null;
}
