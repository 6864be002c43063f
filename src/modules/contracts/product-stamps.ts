import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Pool } from 'pg';
import { DataSource } from 'typeorm';

/**
 * A named statement: PostgreSQL parses and plans it once per connection, not on every burst.
 * Sent on the pool TypeORM runs on (same connections, same deadline and tracing wrappers), without
 * TypeORM's query runner around one read-only statement.
 */
const STAMPS = {
  name: 'charter.product-stamps',
  text: 'SELECT id::text AS id, xmin::text AS stamp FROM data_products WHERE id = ANY($1::uuid[])',
};

interface Waiter {
  resolve(stamp: string | null): void;
  reject(error: unknown): void;
}

/**
 * The current row version (`xmin`) of data products, for cached reads to check against. Every
 * write to a product's contracts updates its row, so a cached read stamped with an older value may
 * be stale. A reader's stamp comes from a query that started after the reader asked, so it sees
 * every commit that finished before, on any instance (RELIABILITY C-10, read-your-writes).
 * Readers that ask while a query runs share the next one: one round trip serves a whole burst.
 */
@Injectable()
export class ProductStamps {
  private waiting = new Map<string, Waiter[]>();
  private running = false;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get pool(): Pool {
    return (this.dataSource.driver as unknown as { master: Pool }).master;
  }

  of(productId: string): Promise<string | null> {
    return new Promise((resolve, reject) => {
      const waiters = this.waiting.get(productId);
      if (waiters) waiters.push({ resolve, reject });
      else this.waiting.set(productId, [{ resolve, reject }]);
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.waiting.size > 0) {
        const batch = this.waiting;
        this.waiting = new Map();
        await this.answer(batch);
      }
    } finally {
      this.running = false;
    }
  }

  private async answer(batch: Map<string, Waiter[]>): Promise<void> {
    try {
      const { rows } = await this.pool.query<{ id: string; stamp: string }>({
        ...STAMPS,
        values: [[...batch.keys()]],
      });
      const stamps = new Map(rows.map((row) => [row.id, row.stamp]));
      for (const [id, waiters] of batch) for (const w of waiters) w.resolve(stamps.get(id) ?? null);
    } catch (error) {
      for (const waiters of batch.values()) for (const w of waiters) w.reject(error);
    }
  }
}
