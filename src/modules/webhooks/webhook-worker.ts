import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type WebhooksConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { type AppConfig } from '../../config/app-config';
import { PgListener } from '../../database/pg-listener';
import { WEBHOOK_DELIVERIES_CHANNEL } from '../change-events';
import { retryDelayMs } from './webhook-backoff';
import { type ClaimedDelivery, WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { sendWebhook } from './webhook-sender';
import { isAllowedTarget } from './webhook-target';

/**
 * Delivers due webhook deliveries from the outbox. Every instance may run one: claims use
 * FOR UPDATE SKIP LOCKED plus a lease, so one database is the only coordination. It polls, and a
 * committed change event that created deliveries (NOTIFY on WEBHOOK_DELIVERIES_CHANNEL) wakes it at once.
 */
@Injectable()
export class WebhookWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('WebhookWorker');
  private readonly config: WebhooksConfig;
  private readonly listener: PgListener;
  private running = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private woken = false;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly deliveries: WebhookDeliveriesRepository,
  ) {
    this.config = config.webhooks;
    this.listener = new PgListener((dataSource.options as { url: string }).url, WEBHOOK_DELIVERIES_CHANNEL, {
      onNotification: () => {
        this.wake();
      },
      onResync: () => {
        this.wake();
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.workerEnabled) return;
    this.running = true;
    await this.listener.start();
    this.loop = this.run();
  }

  /** Stops claiming; attempts in flight finish (each bounded by the request timeout) and are recorded. */
  async onModuleDestroy(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    await this.listener.stop();
  }

  /** Look for due deliveries now (a new event, or a redelivery on this instance). */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.woken = false;
      let claimed: ClaimedDelivery[] = [];
      try {
        claimed = await this.deliveries.claimDue(this.config.batchSize, this.leaseMs());
        // Settled, not all: one failed bookkeeping write must not cut the others' short.
        const results = await Promise.allSettled(claimed.map((claim) => this.attempt(claim)));
        const failure = results.find((result) => result.status === 'rejected');
        if (failure) throw failure.reason;
      } catch (error) {
        this.logger.warn(`webhook delivery round failed: ${(error as Error).message}`);
      }
      // A full batch means more may be due: go again without waiting.
      if (claimed.length < this.config.batchSize) await this.idle();
    }
  }

  /** Waits for the poll interval, or less when woken (also by a wake during the last round). */
  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeUp = null;
        resolve();
      };
      const timer = setTimeout(done, this.config.pollIntervalMs);
      this.wakeUp = done;
      if (!this.running || this.woken) done();
    });
  }

  /** Longer than any one attempt, so a lease never ends while its POST is still running. */
  private leaseMs(): number {
    return this.config.requestTimeoutMs * 2 + 5_000;
  }

  private async attempt(claim: ClaimedDelivery): Promise<void> {
    const outcome = isAllowedTarget(claim.url, this.config.allowedOrigins)
      ? await sendWebhook(
          {
            url: claim.url,
            secret: claim.secret,
            id: claim.envelope.id,
            body: JSON.stringify(claim.envelope),
          },
          this.config.requestTimeoutMs,
        )
      : { delivered: false, statusCode: null, errorCode: 'ORIGIN_NOT_ALLOWED' };
    if (outcome.delivered) {
      await this.deliveries.delivered(claim, outcome);
      return;
    }
    const { maxAttempts, backoffBaseMs, backoffMaxMs } = this.config;
    const retryIn =
      claim.attempts >= maxAttempts ? null : retryDelayMs(claim.attempts, backoffBaseMs, backoffMaxMs);
    await this.deliveries.failed(claim, outcome, retryIn);
  }
}
