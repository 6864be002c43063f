import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type CloudEvent } from '../change-events';
import { DataSource, type EntityManager } from 'typeorm';

export type DeliveryStatus = 'pending' | 'retrying' | 'delivered' | 'dead';

export interface DeliveryRecord {
  id: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  lastAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastErrorCode: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

/** A delivery a worker holds: its lease ends at next_attempt_at, after which any worker may retry it. */
export interface ClaimedDelivery {
  id: string;
  attempts: number;
  url: string;
  secret: string;
  envelope: CloudEvent;
}

export interface AttemptOutcome {
  statusCode: number | null;
  errorCode: string | null;
}

const SELECT = `SELECT d.id::text AS id, d.webhook_id AS "webhookId", d.event_id AS "eventId", e.type AS "eventType",
  d.status, d.attempts,
  CASE WHEN d.status IN ('pending', 'retrying') THEN d.next_attempt_at END AS "nextAttemptAt",
  d.last_attempt_at AS "lastAttemptAt", d.last_status_code AS "lastStatusCode",
  d.last_error_code AS "lastErrorCode", d.delivered_at AS "deliveredAt", d.created_at AS "createdAt"
  FROM webhook_deliveries d JOIN change_events e ON e.id = d.event_id`;

@Injectable()
export class WebhookDeliveriesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  list(webhookId: string, status: DeliveryStatus | null, limit: number): Promise<DeliveryRecord[]> {
    return this.dataSource.query<DeliveryRecord[]>(
      `${SELECT} WHERE d.webhook_id = $1 AND ($2::text IS NULL OR d.status = $2) ORDER BY d.id DESC LIMIT $3`,
      [webhookId, status, limit],
    );
  }

  async find(id: string, manager?: EntityManager): Promise<DeliveryRecord | null> {
    if (!/^[1-9]\d{0,17}$/.test(id)) return null;
    const rows = await (manager ?? this.dataSource.manager).query<DeliveryRecord[]>(
      `${SELECT} WHERE d.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** A dead delivery starts over: due now, with a full set of attempts. (WITH ... SELECT: plain rows from the driver.) */
  async redeliver(manager: EntityManager, id: string): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      `WITH queued AS (
         UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = now()
          WHERE id = $1 AND status = 'dead' RETURNING id
       ) SELECT id FROM queued`,
      [id],
    );
    return rows.length > 0;
  }

  /**
   * Claims up to `limit` due deliveries: rows another worker holds locked are skipped (SKIP LOCKED),
   * and each claimed row is leased by moving next_attempt_at past the attempt's longest duration,
   * so no other instance takes it while this one is sending. A crashed worker's lease just expires.
   */
  claimDue(limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    return this.dataSource.query<ClaimedDelivery[]>(
      `WITH due AS (
         SELECT id FROM webhook_deliveries
          WHERE status IN ('pending', 'retrying') AND next_attempt_at <= now()
          ORDER BY next_attempt_at, id LIMIT $1
          FOR UPDATE SKIP LOCKED
       ), claimed AS (
         UPDATE webhook_deliveries d
            SET attempts = d.attempts + 1, last_attempt_at = now(),
                next_attempt_at = now() + $2 * interval '1 millisecond'
           FROM due WHERE d.id = due.id
         RETURNING d.id, d.attempts, d.webhook_id, d.event_id
       )
       SELECT c.id::text AS id, c.attempts, w.url, w.secret, e.envelope
         FROM claimed c JOIN webhooks w ON w.id = c.webhook_id JOIN change_events e ON e.id = c.event_id
        ORDER BY c.id`,
      [limit, leaseMs],
    );
  }

  /** Records a claimed attempt's result, only if the claim is still this worker's (same attempt). */
  async delivered(claim: ClaimedDelivery, outcome: AttemptOutcome): Promise<void> {
    await this.dataSource.query(
      `UPDATE webhook_deliveries SET status = 'delivered', delivered_at = now(),
              last_status_code = $3, last_error_code = NULL
        WHERE id = $1 AND attempts = $2 AND status IN ('pending', 'retrying')`,
      [claim.id, claim.attempts, outcome.statusCode],
    );
  }

  /** A failed attempt: retried after `retryInMs`, or dead when null. */
  async failed(claim: ClaimedDelivery, outcome: AttemptOutcome, retryInMs: number | null): Promise<void> {
    await this.dataSource.query(
      `UPDATE webhook_deliveries
          SET status = CASE WHEN $5::integer IS NULL THEN 'dead' ELSE 'retrying' END,
              next_attempt_at = CASE WHEN $5::integer IS NULL THEN next_attempt_at
                                     ELSE now() + $5::integer * interval '1 millisecond' END,
              last_status_code = $3, last_error_code = $4
        WHERE id = $1 AND attempts = $2 AND status IN ('pending', 'retrying')`,
      [claim.id, claim.attempts, outcome.statusCode, outcome.errorCode, retryInMs],
    );
  }
}
