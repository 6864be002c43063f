import { UseFilters } from '@nestjs/common';
import { Args, Context, Resolver, Subscription } from '@nestjs/graphql';
import { type FastifyRequest } from 'fastify';
import { type Actor } from '../../auth/actor';
import { CurrentActor, Requires } from '../../auth/decorators';
import { type CloudEvent } from '../change-events';
import { LiveEventsService } from './live-events.service';
import { ChangeEventFilterInput, ChangeEventModel } from './models/change-event.model';
import { SubscriptionErrorFilter } from './subscription-error.filter';

@Resolver(() => ChangeEventModel)
@UseFilters(SubscriptionErrorFilter)
export class LiveEventsResolver {
  constructor(private readonly service: LiveEventsService) {}

  @Subscription(() => ChangeEventModel, {
    description:
      'Change events as they are committed, on any instance (graphql-ws over WebSocket at /graphql). Only events of domains and products you may read.',
    resolve: (event: CloudEvent) => event,
  })
  @Requires('read', 'DataProduct')
  changeEvents(
    @CurrentActor() actor: Actor,
    @Context('reply') reply: { request: FastifyRequest },
    @Args('filter', { type: () => ChangeEventFilterInput, nullable: true })
    filter?: ChangeEventFilterInput | null,
  ): AsyncIterableIterator<CloudEvent> {
    const authorization = reply.request.headers.authorization;
    return this.service.subscribe(
      actor,
      reply.request,
      typeof authorization === 'string' ? authorization : undefined,
      filter,
    );
  }
}
