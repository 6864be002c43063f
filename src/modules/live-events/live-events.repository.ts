import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type CloudEvent } from '../change-events';
import { type LiveChangeEvent } from './live-change-event';

/** Events replayed after one listener outage; beyond this a console should reload. */
export const MAX_REPLAYED_EVENTS = 1_000;

interface OutboxRow {
  envelope: CloudEvent;
  domain_id: string | null;
  product_id: string | null;
}

const toLive = (row: OutboxRow): LiveChangeEvent => ({
  event: row.envelope,
  domainId: row.domain_id,
  productId: row.product_id,
});

/** Reads events back from the change-events outbox (written by the change-events module, never here). */
@Injectable()
export class LiveEventsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async find(id: string): Promise<LiveChangeEvent | null> {
    const rows = await this.dataSource.query<OutboxRow[]>(
      `SELECT envelope, domain_id, product_id FROM change_events WHERE id = $1`,
      [id],
    );
    return rows[0] ? toLive(rows[0]) : null;
  }

  /** The newest sequence number (bigint as text; 0 while the outbox is empty). */
  async head(): Promise<string> {
    const rows = await this.dataSource.query<{ head: string }[]>(
      `SELECT coalesce(max(seq), 0)::text AS head FROM change_events`,
    );
    return rows[0]?.head ?? '0';
  }

  /** Events with `after < seq <= upTo`, oldest first, at most MAX_REPLAYED_EVENTS. */
  async between(after: string, upTo: string): Promise<{ events: LiveChangeEvent[]; truncated: boolean }> {
    const rows = await this.dataSource.query<OutboxRow[]>(
      `SELECT envelope, domain_id, product_id FROM change_events
        WHERE seq > $1::bigint AND seq <= $2::bigint ORDER BY seq LIMIT $3`,
      [after, upTo, MAX_REPLAYED_EVENTS + 1],
    );
    return {
      events: rows.slice(0, MAX_REPLAYED_EVENTS).map(toLive),
      truncated: rows.length > MAX_REPLAYED_EVENTS,
    };
  }
}
