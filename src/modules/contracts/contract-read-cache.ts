import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PgListener } from '../../database/pg-listener';
import { CharterMetrics } from '../../observability/charter-metrics';
import { ANY_PRODUCT, CONTRACT_CHANNEL } from './contract-channel';
import { type ContractVersionRecord } from './contract-versions.repository';
import { ProductStamps } from './product-stamps';

const MAX_ENTRIES = 50_000;

interface Entry {
  generation: number;
  record: ContractVersionRecord | null;
  /** The product row's stamp when this was loaded; null for reads by global id. */
  stamp: string | null;
}

/**
 * Reads of contract versions, cached per product. Every write bumps the product's generation
 * (locally before commit, and on every instance when its NOTIFY arrives after commit), so an
 * entry filled from an older generation is never served. Off while LISTEN is down.
 */
@Injectable()
export class ContractReadCache implements OnModuleInit, OnModuleDestroy {
  private readonly entries = new Map<string, Entry>();
  private readonly generations = new Map<string, number>();
  private readonly listener: PgListener;
  hits = 0;
  misses = 0;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    metrics: CharterMetrics,
    private readonly stamps: ProductStamps,
  ) {
    metrics.watchCache('contract', this);
    const url = (dataSource.options as { url: string }).url;
    this.listener = new PgListener(url, CONTRACT_CHANNEL, {
      onNotification: (productId) => {
        this.invalidate(productId);
      },
      onResync: () => {
        this.entries.clear();
      },
    });
  }

  async onModuleInit(): Promise<void> {
    await this.listener.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.listener.stop();
  }

  invalidate(productId: string): void {
    for (const key of [productId, ANY_PRODUCT])
      this.generations.set(key, (this.generations.get(key) ?? 0) + 1);
  }

  /**
   * The cached record under `key`, else `load()`'s, remembered only if no write intervened. Reads
   * by product also need the product row's stamp unchanged, so a version published or deprecated
   * on another instance is served at once (C-10), before its NOTIFY arrives here. Reads by global
   * id (`productId` ANY_PRODUCT) serve content that never changes under its id; only an unseen id
   * is a miss, and misses are not remembered, so they skip the stamp and its round trip.
   */
  async read(
    productId: string,
    key: string,
    load: () => Promise<ContractVersionRecord | null>,
  ): Promise<ContractVersionRecord | null> {
    if (!this.listener.connected) return load();
    const generation = this.generations.get(productId) ?? 0;
    const entry = this.entries.get(key);
    const byId = productId === ANY_PRODUCT;
    const stamp = byId ? null : await this.stamps.of(productId);
    const fresh = byId || (stamp !== null && entry?.stamp === stamp);
    if (entry && fresh && entry.generation === generation) {
      this.hits += 1;
      return entry.record;
    }
    this.misses += 1;
    const record = await load();
    const unchanged = (this.generations.get(productId) ?? 0) === generation;
    if (unchanged && (byId ? record !== null : stamp !== null))
      this.remember(key, { generation, record, stamp });
    return record;
  }

  private remember(key: string, entry: Entry): void {
    if (this.entries.size >= MAX_ENTRIES) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, entry);
  }
}
