import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PgListener } from '../../database/pg-listener';
import { CHANGE_EVENTS_CHANNEL } from '../change-events';
import { type ChangeEventFilter } from './change-event-filter';
import { type LiveChangeEvent, parseChangeNotification } from './live-change-event';
import { LiveEventsRepository } from './live-events.repository';
import { LiveSubscription, type SubscriberAccess } from './live-subscription';

/** Ids already fanned out, so an event replayed after a reconnect is not delivered twice. */
const REMEMBERED_IDS = 10_000;
/** A catch-up that failed (the pool still reconnecting) is tried again after this long. */
const CATCH_UP_RETRY_MS = 500;

/**
 * One LISTEN per instance on the change-events channel, fanned out in process to every open
 * subscription. After the listener reconnects, events committed while it was down are read back
 * from the outbox (by sequence, from the high-water mark taken when it last connected).
 */
@Injectable()
export class ChangeEventFeed implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('ChangeEventFeed');
  private readonly listener: PgListener;
  private readonly subscriptions = new Set<LiveSubscription>();
  private readonly delivered = new Set<string>();
  // Notifications are handled one after another: an outbox read must not reorder events.
  private work: Promise<void> = Promise.resolve();
  private watermark: string | null = null;
  private stopped = false;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly outbox: LiveEventsRepository,
  ) {
    const url = (dataSource.options as { url: string }).url;
    this.listener = new PgListener(url, CHANGE_EVENTS_CHANNEL, {
      onNotification: (payload) => {
        this.enqueue(() => this.handle(payload));
      },
      onResync: (connected) => {
        if (connected) this.resync();
      },
    });
  }

  async onModuleInit(): Promise<void> {
    await this.listener.start();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    await this.listener.stop();
    for (const subscription of [...this.subscriptions]) subscription.end();
    await this.work;
  }

  get subscriberCount(): number {
    return this.subscriptions.size;
  }

  get listening(): boolean {
    return this.listener.connected;
  }

  open(
    filter: ChangeEventFilter,
    access: SubscriberAccess,
    onEnd: () => void = () => undefined,
  ): LiveSubscription {
    const subscription = new LiveSubscription(filter, access, (ended) => {
      this.subscriptions.delete(ended);
      onEnd();
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  private enqueue(task: () => Promise<void>): void {
    this.work = this.work.then(task).catch((error: unknown) => {
      this.logger.warn(`change event not fanned out: ${error instanceof Error ? error.message : 'unknown'}`);
    });
  }

  private async handle(payload: string): Promise<void> {
    const notification = parseChangeNotification(payload);
    if (notification.kind === 'unreadable') {
      this.logger.warn('ignored an unreadable change-event notification');
      return;
    }
    if (notification.kind === 'event') {
      this.fanOut(notification.event);
      return;
    }
    if (this.delivered.has(notification.id)) return;
    const stored = await this.outbox.find(notification.id);
    if (stored) this.fanOut(stored);
  }

  /** Runs after every (re)connect, once LISTEN is in place: nothing committed later can be missed. */
  private resync(): void {
    this.enqueue(async () => {
      try {
        await this.catchUp();
      } catch (error) {
        this.logger.warn(`catch-up failed, retrying: ${error instanceof Error ? error.message : 'unknown'}`);
        if (this.stopped || !this.listener.connected) return;
        setTimeout(() => {
          if (!this.stopped) this.resync();
        }, CATCH_UP_RETRY_MS).unref();
      }
    });
  }

  /** Replays what was committed since the last connect; the mark moves only once that worked. */
  private async catchUp(): Promise<void> {
    const head = await this.outbox.head();
    if (this.watermark !== null) {
      const missed = await this.outbox.between(this.watermark, head);
      if (missed.truncated) this.logger.warn('more change events were missed than are replayed');
      for (const live of missed.events) this.fanOut(live);
    }
    this.watermark = head;
  }

  private fanOut(live: LiveChangeEvent): void {
    if (this.delivered.has(live.event.id)) return;
    this.remember(live.event.id);
    for (const subscription of this.subscriptions) subscription.offer(live);
  }

  private remember(id: string): void {
    if (this.delivered.size >= REMEMBERED_IDS) {
      const oldest = this.delivered.values().next();
      if (!oldest.done) this.delivered.delete(oldest.value);
    }
    this.delivered.add(id);
  }
}
