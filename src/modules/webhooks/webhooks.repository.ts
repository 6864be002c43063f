import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

export interface WebhookRecord {
  id: string;
  domainId: string;
  productId: string | null;
  /** Domain name. */
  domain: string;
  /** Product name within the domain, or null for a domain-wide webhook. */
  product: string | null;
  url: string;
  eventTypes: string[] | null;
  description: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewWebhook {
  domainId: string;
  productId: string | null;
  url: string;
  secret: string;
  eventTypes: string[] | null;
  description: string | null;
}

export interface WebhookChanges {
  url?: string;
  eventTypes?: string[] | null;
  description?: string | null;
  secret?: string;
}

const SELECT = `SELECT w.id, w.domain_id AS "domainId", w.product_id AS "productId", d.name AS domain,
  p.name AS product, w.url, w.event_types AS "eventTypes", w.description,
  w.created_at AS "createdAt", w.updated_at AS "updatedAt"
  FROM webhooks w JOIN domains d ON d.id = w.domain_id LEFT JOIN data_products p ON p.id = w.product_id`;

const COLUMNS: Record<keyof WebhookChanges, string> = {
  url: 'url',
  eventTypes: 'event_types',
  description: 'description',
  secret: 'secret',
};

/** Registered webhook endpoints. The secret is written here and read only by the delivery worker. */
@Injectable()
export class WebhooksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private run(manager?: EntityManager): EntityManager {
    return manager ?? this.dataSource.manager;
  }

  async insert(manager: EntityManager, webhook: NewWebhook): Promise<string> {
    const rows = await manager.query<{ id: string }[]>(
      `INSERT INTO webhooks (domain_id, product_id, url, secret, event_types, description)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [
        webhook.domainId,
        webhook.productId,
        webhook.url,
        webhook.secret,
        webhook.eventTypes,
        webhook.description,
      ],
    );
    const id = rows[0]?.id;
    if (id === undefined) throw new Error('INSERT ... RETURNING gave no row');
    return id;
  }

  /** Webhooks registered at exactly this level (the domain's own, or the product's). */
  async countAt(manager: EntityManager, domainId: string, productId: string | null): Promise<number> {
    const rows = await manager.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM webhooks WHERE domain_id = $1 AND product_id IS NOT DISTINCT FROM $2`,
      [domainId, productId],
    );
    return rows[0]?.n ?? 0;
  }

  async find(id: string, manager?: EntityManager): Promise<WebhookRecord | null> {
    const rows = await this.run(manager).query<WebhookRecord[]>(`${SELECT} WHERE w.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** A domain's webhooks (productId null: the domain-wide ones and every product's) or one product's. */
  list(domainId: string, productId: string | null): Promise<WebhookRecord[]> {
    return productId === null
      ? this.run().query<WebhookRecord[]>(`${SELECT} WHERE w.domain_id = $1 ORDER BY w.created_at, w.id`, [
          domainId,
        ])
      : this.run().query<WebhookRecord[]>(`${SELECT} WHERE w.product_id = $1 ORDER BY w.created_at, w.id`, [
          productId,
        ]);
  }

  async update(manager: EntityManager, id: string, changes: WebhookChanges): Promise<boolean> {
    const sets: string[] = [];
    const values: unknown[] = [id];
    for (const key of Object.keys(COLUMNS) as (keyof WebhookChanges)[]) {
      if (changes[key] === undefined) continue;
      values.push(changes[key]);
      sets.push(`${COLUMNS[key]} = $${values.length}`);
    }
    const rows = await manager.query<unknown[]>(
      `WITH changed AS (
         UPDATE webhooks SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $1 RETURNING id
       ) SELECT id FROM changed`,
      values,
    );
    return rows.length > 0;
  }

  /** Its deliveries go with it (ON DELETE CASCADE); the events stay in the outbox. */
  async delete(manager: EntityManager, id: string): Promise<boolean> {
    // Wrapped in a SELECT: TypeORM answers a bare DELETE ... RETURNING with [rows, count].
    const rows = await manager.query<unknown[]>(
      `WITH removed AS (DELETE FROM webhooks WHERE id = $1 RETURNING id) SELECT id FROM removed`,
      [id],
    );
    return rows.length > 0;
  }
}
