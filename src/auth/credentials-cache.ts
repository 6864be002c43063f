import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PgListener } from '../database/pg-listener';
import { type Actor } from './actor';
import { type StoredApiKey } from './credentials.repository';

export const CREDENTIALS_CHANNEL = 'charter_credentials';
const MAX_KEYS = 10_000;
const TOUCH_INTERVAL_MS = 60_000;

interface Entry {
  generation: number;
  key: StoredApiKey;
  /** The authenticated caller, abilities built: the same for every request with this key. */
  actor: Actor;
}

/**
 * What authentication learned about an API key, kept until any principal, key or grant changes:
 * triggers NOTIFY every instance at commit, and local writers invalidate before commit. Off while
 * LISTEN is down, so a missed revocation can never be served from here.
 */
@Injectable()
export class CredentialsCache implements OnModuleInit, OnModuleDestroy {
  private readonly entries = new Map<string, Entry>();
  private readonly touched = new Map<string, number>();
  private readonly listener: PgListener;
  generation = 0;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.listener = new PgListener((dataSource.options as { url: string }).url, CREDENTIALS_CHANNEL, {
      onNotification: () => {
        this.invalidate();
      },
      onResync: () => {
        this.invalidate();
      },
    });
  }

  async onModuleInit(): Promise<void> {
    await this.listener.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.listener.stop();
  }

  invalidate(): void {
    this.generation += 1;
    this.entries.clear();
  }

  lookup(keyId: string): Entry | undefined {
    if (!this.listener.connected) return undefined;
    const entry = this.entries.get(keyId);
    return entry?.generation === this.generation ? entry : undefined;
  }

  /** Kept only if nothing changed since `generation` was read, i.e. since the lookup began. */
  remember(keyId: string, generation: number, key: StoredApiKey, actor: Actor): void {
    if (generation !== this.generation || !this.listener.connected) return;
    if (this.entries.size >= MAX_KEYS) this.entries.clear();
    this.entries.set(keyId, { generation, key, actor });
  }

  /** Whether shouldTouch would answer true; changes nothing. */
  touchDue(keyId: string, now = Date.now()): boolean {
    const last = this.touched.get(keyId);
    return last === undefined || now - last >= TOUCH_INTERVAL_MS;
  }

  /** The last-used stamp is written at most once a minute per key and instance. */
  shouldTouch(keyId: string, now = Date.now()): boolean {
    if (!this.touchDue(keyId, now)) return false;
    if (this.touched.size >= MAX_KEYS) this.touched.clear();
    this.touched.set(keyId, now);
    return true;
  }
}
