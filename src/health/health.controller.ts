import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import { type FastifyReply } from 'fastify';
import { Public } from '../auth/decorators';
import { ReadinessProbe, type Readiness } from './readiness.probe';

/** Probes for orchestrators: open without credentials, and they reveal nothing but up/down. */
@Controller('health')
@Public()
export class HealthController {
  constructor(private readonly readiness: ReadinessProbe) {}

  @Get('live')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** 200 when the database answers and every migration is applied, else 503. */
  @Get('ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<Readiness> {
    const readiness = await this.readiness.check();
    void reply.status(readiness.status === 'ready' ? 200 : 503);
    return readiness;
  }
}
