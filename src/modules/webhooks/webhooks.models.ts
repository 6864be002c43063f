import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum WebhookDeliveryStatusEnum {
  pending = 'pending',
  retrying = 'retrying',
  delivered = 'delivered',
  dead = 'dead',
}
registerEnumType(WebhookDeliveryStatusEnum, {
  name: 'WebhookDeliveryStatus',
  description: 'pending: not tried yet; retrying: failed, tried again later; delivered: 2xx; dead: gave up.',
});

@ObjectType('Webhook', { description: 'An endpoint receiving change events of a domain or of one product.' })
export class WebhookModel {
  @Field(() => ID)
  id: string;

  @Field(() => String, { description: 'The domain name.' })
  domain: string;

  @Field(() => String, { nullable: true, description: 'domain.product, or null for a domain-wide webhook.' })
  product: string | null;

  @Field(() => String)
  url: string;

  @Field(() => [String], { nullable: true, description: 'CloudEvents types delivered; null: every type.' })
  eventTypes: string[] | null;

  @Field(() => String, { nullable: true })
  description: string | null;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date)
  updatedAt: Date;
}

@ObjectType('WebhookWithSecret')
export class WebhookWithSecretModel {
  @Field(() => WebhookModel)
  webhook: WebhookModel;

  @Field(() => String, {
    nullable: true,
    description:
      'The Standard Webhooks signing secret (whsec_...): returned only here, once; null when unchanged.',
  })
  secret: string | null;
}

@ObjectType('WebhookDelivery', { description: 'One change event to one webhook.' })
export class WebhookDeliveryModel {
  @Field(() => ID)
  id: string;

  @Field(() => String, { description: 'The CloudEvent id, sent as webhook-id on every attempt.' })
  eventId: string;

  @Field(() => String)
  eventType: string;

  @Field(() => WebhookDeliveryStatusEnum)
  status: WebhookDeliveryStatusEnum;

  @Field(() => Int)
  attempts: number;

  @Field(() => Date, {
    nullable: true,
    description: 'When the next attempt is due (pending and retrying only).',
  })
  nextAttemptAt: Date | null;

  @Field(() => Date, { nullable: true })
  lastAttemptAt: Date | null;

  @Field(() => Int, { nullable: true, description: 'HTTP status of the last attempt, if one came back.' })
  lastStatusCode: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'HTTP_STATUS, REDIRECT_REFUSED, TIMEOUT, CONNECTION_FAILED or ORIGIN_NOT_ALLOWED.',
  })
  lastErrorCode: string | null;

  @Field(() => Date, { nullable: true })
  deliveredAt: Date | null;

  @Field(() => Date)
  createdAt: Date;
}

@InputType()
export class RegisterWebhookInput {
  @Field(() => String, { nullable: true, description: 'A domain name: its events and its products’.' })
  domain?: string | null;

  @Field(() => String, { nullable: true, description: 'domain.product: that product’s events only.' })
  product?: string | null;

  @Field(() => String, { description: 'http(s) URL on an origin listed in WEBHOOK_ALLOWED_ORIGINS.' })
  url: string;

  @Field(() => [String], { nullable: true, description: 'Only these CloudEvents types; omit for all.' })
  eventTypes?: string[] | null;

  @Field(() => String, { nullable: true })
  description?: string | null;
}

@InputType()
export class UpdateWebhookInput {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true })
  url?: string | null;

  @Field(() => [String], { nullable: true })
  eventTypes?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Deliver every event type again.' })
  allEventTypes?: boolean | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Issue a new signing secret (returned once).' })
  rotateSecret?: boolean | null;
}

@ArgsType()
export class WebhookScopeArgs {
  @Field(() => String, { nullable: true })
  domain?: string | null;

  @Field(() => String, { nullable: true })
  product?: string | null;
}

@ArgsType()
export class WebhookDeliveriesArgs {
  @Field(() => ID)
  webhookId: string;

  @Field(() => WebhookDeliveryStatusEnum, { nullable: true })
  status?: WebhookDeliveryStatusEnum | null;

  @Field(() => Int, { defaultValue: 50, description: 'Newest first; at most 200.' })
  first: number;
}
