import { createHash, timingSafeEqual } from 'node:crypto';
import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import { type FastifyReply } from 'fastify';
import { Public } from '../auth/decorators';
import { type AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { CharterMetrics } from './charter-metrics';

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/**
 * Prometheus scrapes. Public to the guard because it checks its own credential: the configured
 * METRICS_TOKEN as a bearer token. Without a token the route answers 404, as if it were not there.
 */
@Controller('metrics')
@Public()
export class MetricsController {
  private readonly expected: Buffer | null;

  constructor(
    private readonly metrics: CharterMetrics,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.expected = config.metrics.token === null ? null : digest(config.metrics.token);
  }

  @Get()
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (this.expected === null) {
      await reply.status(404).send({ code: 'NOT_FOUND', message: 'no such route' });
      return;
    }
    const given = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    // Compared as hashes so the comparison takes the same time whatever the length given.
    if (given === undefined || !timingSafeEqual(digest(given), this.expected)) {
      await reply
        .status(401)
        .header('www-authenticate', 'Bearer')
        .send({ code: 'UNAUTHENTICATED', message: 'a valid metrics token is required' });
      return;
    }
    await reply
      .header('content-type', this.metrics.registry.contentType)
      .send(await this.metrics.registry.metrics());
  }
}
