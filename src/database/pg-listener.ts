import { Logger } from '@nestjs/common';
import { Client } from 'pg';

export interface ListenerHandlers {
  /** A notification arrived on the channel. */
  onNotification(payload: string): void;
  /** The connection was (re)established or lost: notifications may have been missed. */
  onResync(connected: boolean): void;
}

const MAX_BACKOFF_MS = 5_000;

/**
 * One dedicated connection LISTENing on a channel, reconnecting with backoff. Caches built on it
 * must stay off while `connected` is false, because invalidations sent meanwhile are lost.
 */
export class PgListener {
  private client: Client | null = null;
  private stopped = false;
  private attempt = 0;
  private timer: NodeJS.Timeout | undefined;
  connected = false;

  constructor(
    private readonly url: string,
    private readonly channel: string,
    private readonly handlers: ListenerHandlers,
    private readonly logger = new Logger('PgListener'),
  ) {}

  async start(): Promise<void> {
    await this.connect().catch(() => {
      this.scheduleReconnect();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const client = this.client;
    this.client = null;
    this.setConnected(false);
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.url, application_name: 'charter-listener' });
    client.on('notification', (message) => {
      if (message.channel === this.channel) this.handlers.onNotification(message.payload ?? '');
    });
    client.on('error', () => {
      this.lost(client);
    });
    client.on('end', () => {
      this.lost(client);
    });
    await client.connect();
    await client.query(`LISTEN ${this.channel}`);
    if (this.stopped) {
      await client.end();
      return;
    }
    this.client = client;
    this.attempt = 0;
    this.setConnected(true);
  }

  private lost(client: Client): void {
    if (this.client !== client) return;
    this.client = null;
    this.setConnected(false);
    client.end().catch(() => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const delay = Math.min(MAX_BACKOFF_MS, 100 * 2 ** this.attempt);
    this.attempt += 1;
    this.timer = setTimeout(() => {
      this.connect().catch(() => {
        this.scheduleReconnect();
      });
    }, delay);
    this.timer.unref();
  }

  private setConnected(connected: boolean): void {
    if (this.connected === connected) return;
    this.connected = connected;
    if (!connected && !this.stopped)
      this.logger.warn(`lost LISTEN ${this.channel}; caches off until it returns`);
    this.handlers.onResync(connected);
  }
}
