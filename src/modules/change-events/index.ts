export * from './change-event-types';
export * from './change-event';
export { ChangeEvents } from './change-events.service';
export { ChangeEventsModule } from './change-events.module';
