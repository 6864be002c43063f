import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { type PipelinedStatement } from '../../database/pipelined-query';
import { queryPrepared } from '../../database/prepared-query';
import { type CloudEvent, WEBHOOK_DELIVERIES_CHANNEL } from './change-event-types';

export interface StoredEventIds {
  domainId: string | null;
  productId: string | null;
}

/** The outbox: events are appended, never changed. */
@Injectable()
export class ChangeEventsRepository {
  /**
   * Appends the event, in the same statement one pending delivery per webhook that wants it (a
   * domain's webhooks get its own and its products' events, a product's only that product's),
   * the NOTIFY announcing it and, when it created deliveries, the one waking the webhook workers
   * (both sent by PostgreSQL at commit): one round trip.
   */
  async append(
    manager: EntityManager,
    event: CloudEvent,
    ids: StoredEventIds,
    notification: { channel: string; payload: string },
  ): Promise<void> {
    const statement = this.appendStatement(event, ids, notification);
    await queryPrepared(manager, statement.name, statement.text, statement.values);
  }

  /** The same append as a statement, for a writer that pipelines it with its others. */
  appendStatement(
    event: CloudEvent,
    ids: StoredEventIds,
    notification: { channel: string; payload: string },
  ): PipelinedStatement {
    return {
      name: 'charter_change_event_append',
      text: APPEND_EVENT,
      values: [
        event.id,
        event.type,
        ids.domainId,
        ids.productId,
        JSON.stringify(event),
        notification.channel,
        notification.payload,
        WEBHOOK_DELIVERIES_CHANNEL,
      ],
    };
  }

  async findEnvelope(manager: EntityManager, id: string): Promise<CloudEvent | null> {
    const rows = await manager.query<{ envelope: CloudEvent }[]>(
      `SELECT envelope FROM change_events WHERE id = $1`,
      [id],
    );
    return rows[0]?.envelope ?? null;
  }
}

const APPEND_EVENT = `WITH event AS (
         INSERT INTO change_events (id, type, domain_id, product_id, envelope)
         VALUES ($1, $2, $3, $4, $5::jsonb)
         RETURNING id, type, domain_id, product_id
       ), deliveries AS (
         INSERT INTO webhook_deliveries (webhook_id, event_id)
         SELECT w.id, event.id FROM event JOIN webhooks w
           ON w.domain_id = event.domain_id
          AND (w.product_id IS NULL OR w.product_id = event.product_id)
          AND (w.event_types IS NULL OR event.type = ANY (w.event_types))
         RETURNING 1
       )
       SELECT pg_notify($6, $7),
         CASE WHEN EXISTS (SELECT 1 FROM deliveries) THEN pg_notify($8, '') END
       FROM event`;
