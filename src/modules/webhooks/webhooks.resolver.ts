import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { type Actor } from '../../auth/actor';
import { CurrentActor, Requires } from '../../auth/decorators';
import { type DeliveryRecord, type DeliveryStatus } from './webhook-deliveries.repository';
import { type WebhookRecord } from './webhooks.repository';
import {
  RegisterWebhookInput,
  UpdateWebhookInput,
  WebhookDeliveriesArgs,
  WebhookDeliveryModel,
  WebhookDeliveryStatusEnum,
  WebhookModel,
  WebhookScopeArgs,
  WebhookWithSecretModel,
} from './webhooks.models';
import { WebhooksService, type WebhookWithSecret } from './webhooks.service';

function toModel(record: WebhookRecord): WebhookModel {
  return {
    id: record.id,
    domain: record.domain,
    product: record.product === null ? null : `${record.domain}.${record.product}`,
    url: record.url,
    eventTypes: record.eventTypes,
    description: record.description,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

const withSecret = ({ webhook, secret }: WebhookWithSecret): WebhookWithSecretModel => ({
  webhook: toModel(webhook),
  secret,
});

const STATUS: Record<DeliveryStatus, WebhookDeliveryStatusEnum> = {
  pending: WebhookDeliveryStatusEnum.pending,
  retrying: WebhookDeliveryStatusEnum.retrying,
  delivered: WebhookDeliveryStatusEnum.delivered,
  dead: WebhookDeliveryStatusEnum.dead,
};

function toDelivery(record: DeliveryRecord): WebhookDeliveryModel {
  const { status, ...rest } = record;
  return { ...rest, status: STATUS[status] };
}

/** Webhooks are managed by whoever may update their domain or product (checked per instance). */
@Resolver(() => WebhookModel)
export class WebhooksResolver {
  constructor(private readonly service: WebhooksService) {}

  @Query(() => [WebhookModel], { description: 'The webhooks of a domain (all of them) or of one product.' })
  @Requires('update', 'DataProduct')
  async webhooks(@CurrentActor() actor: Actor, @Args() scope: WebhookScopeArgs): Promise<WebhookModel[]> {
    return (await this.service.list(actor, scope)).map(toModel);
  }

  @Query(() => [WebhookDeliveryModel], { description: 'Deliveries of one webhook, newest first.' })
  @Requires('update', 'DataProduct')
  async webhookDeliveries(
    @CurrentActor() actor: Actor,
    @Args() args: WebhookDeliveriesArgs,
  ): Promise<WebhookDeliveryModel[]> {
    const records = await this.service.deliveries(actor, args.webhookId, args.status ?? null, args.first);
    return records.map(toDelivery);
  }

  @Mutation(() => WebhookWithSecretModel, {
    description: 'Registers an endpoint; the signing secret is in the answer and never shown again. Audited.',
  })
  @Requires('update', 'DataProduct')
  async registerWebhook(
    @CurrentActor() actor: Actor,
    @Args('input') input: RegisterWebhookInput,
  ): Promise<WebhookWithSecretModel> {
    return withSecret(await this.service.register(actor, input));
  }

  @Mutation(() => WebhookWithSecretModel, {
    description: 'Changes an endpoint; secret only when rotated. Audited.',
  })
  @Requires('update', 'DataProduct')
  async updateWebhook(
    @CurrentActor() actor: Actor,
    @Args('input') input: UpdateWebhookInput,
  ): Promise<WebhookWithSecretModel> {
    return withSecret(await this.service.update(actor, input));
  }

  @Mutation(() => Boolean, { description: 'Removes an endpoint and its deliveries. Audited.' })
  @Requires('update', 'DataProduct')
  deleteWebhook(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string): Promise<boolean> {
    return this.service.delete(actor, id);
  }

  @Mutation(() => WebhookDeliveryModel, {
    description: 'Queues a dead delivery again with a fresh set of attempts (CONFLICT otherwise). Audited.',
  })
  @Requires('update', 'DataProduct')
  async redeliverWebhookDelivery(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<WebhookDeliveryModel> {
    return toDelivery(await this.service.redeliver(actor, id));
  }
}
