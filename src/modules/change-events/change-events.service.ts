import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type PipelinedStatement } from '../../database/pipelined-query';
import { queryPrepared } from '../../database/prepared-query';
import { CHANGE_EVENTS_CHANNEL, type CloudEvent, notifyPayloadOf } from './change-event-types';
import { type ChangeEventInput, cloudEventOf } from './change-event';
import { ChangeEventsRepository } from './change-events.repository';
import { type InRequest, transactionFor } from '../../database/request-transaction';

export class ChangeEventWriteError extends Error {
  readonly code = 'CHANGE_EVENT_OUTSIDE_TRANSACTION';
}

/**
 * The one way to emit a change event. `emit` runs in the writing transaction: the outbox row,
 * its webhook deliveries and the NOTIFY (which PostgreSQL sends only on commit) exist exactly
 * when the change does.
 */
@Injectable()
export class ChangeEvents {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: ChangeEventsRepository,
  ) {}

  async emit(manager: EntityManager, input: ChangeEventInput): Promise<CloudEvent> {
    const { event, statement } = this.emitStatement(manager, input);
    await queryPrepared(manager, statement.name, statement.text, statement.values);
    return event;
  }

  /** The event and the statement that appends it, for a writer that pipelines it in its transaction. */
  emitStatement(
    manager: EntityManager,
    input: ChangeEventInput,
  ): { event: CloudEvent; statement: PipelinedStatement } {
    if (manager.queryRunner?.isTransactionActive !== true)
      throw new ChangeEventWriteError('a change event must be written inside the transaction of its change');
    const event = cloudEventOf(input);
    const statement = this.events.appendStatement(
      event,
      { domainId: input.domain?.id ?? null, productId: input.product?.id ?? null },
      { channel: CHANGE_EVENTS_CHANNEL, payload: notifyPayloadOf(event) },
    );
    return { event, statement };
  }

  /** For events with no committed change (a refused publish): a small transaction of their own. */
  emitAlone(input: ChangeEventInput, scope?: InRequest): Promise<CloudEvent> {
    return transactionFor(this.dataSource, scope, (manager) => this.emit(manager, input));
  }
}
