import { Module } from '@nestjs/common';
import { ChangeEventFeed } from './change-event-feed';
import { LiveEventsRepository } from './live-events.repository';
import { LiveEventsResolver } from './live-events.resolver';
import { LiveEventsService } from './live-events.service';

/** GraphQL subscriptions to change events, fed by one LISTEN per instance. */
@Module({
  providers: [LiveEventsRepository, ChangeEventFeed, LiveEventsService, LiveEventsResolver],
  exports: [ChangeEventFeed],
})
export class LiveEventsModule {}
