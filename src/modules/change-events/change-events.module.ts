import { Global, Module } from '@nestjs/common';
import { ChangeEventsRepository } from './change-events.repository';
import { ChangeEvents } from './change-events.service';

/** Change events (CloudEvents 1.0) into the outbox; global like the audit log, which every writer uses too. */
@Global()
@Module({
  providers: [ChangeEventsRepository, ChangeEvents],
  exports: [ChangeEvents, ChangeEventsRepository],
})
export class ChangeEventsModule {}
