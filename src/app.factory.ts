import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import { type Pool } from 'pg';
import { type Logger } from 'pino';
import { DataSource } from 'typeorm';
import { AppModule } from './app.module';
import { type AuthModuleOptions } from './auth/auth.module';
import { Authenticator } from './auth/authenticator';
import { installGraphqlAuthentication } from './auth/graphql-authentication';
import { JsonNestLogger } from './common/logging/logger';
import { openRequestContext, requestContextOf } from './common/request-context';
import { type AppConfig } from './config/app-config';
import { runMigrationsLocked } from './database/migrate';
import { runMigrationsAsOwner } from './modules/audit/app-role';
import { GRAPHQL_PATH } from './graphql/graphql.module';
import { type RequestDeadlines, requestDeadlines } from './graphql/request-deadline';
import { CharterMetrics } from './observability/charter-metrics';
import { requestMetrics, type RequestMetricsRecorder } from './observability/request-metrics';
import { type Tracing, TRACING } from './observability/tracing/tracing';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function requestIdOf(request: { headers: Record<string, unknown> }): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * Every request's start: its id echoed, its context opened, its deadline started. This runs in the
 * onRequest hook Nest's Fastify adapter registers anyway (setOnRequestHook), not in hooks of its
 * own: each root hook is a step of Fastify's hook runner on every request.
 */
function installRequestStart(adapter: FastifyAdapter, deadlines: RequestDeadlines): void {
  adapter.setOnRequestHook((request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    void reply.header('x-request-id', request.id);
    const context = openRequestContext(request, {
      requestId: request.id,
      client: request.headers['user-agent'],
    });
    deadlines.start(request, reply, context);
    done();
  });
}

/** Every request's end, in the adapter's onResponse hook: its deadline cleared, its metrics counted. */
function installRequestEnd(
  adapter: FastifyAdapter,
  deadlines: RequestDeadlines,
  metrics: RequestMetricsRecorder,
): void {
  adapter.setOnResponseHook((request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    deadlines.finish(requestContextOf(request));
    metrics(request, reply);
    done();
  });
}

/** Builds, migrates and initialises the service; the caller decides where it listens. */
export async function createApp(
  config: AppConfig,
  databaseUrl: string,
  logger: Logger,
  auth: AuthModuleOptions = {},
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    genReqId: requestIdOf,
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    bodyLimit: config.bodyLimitBytes,
    // No Nest middleware is used: without middie, no onRequest hook of its own on every request.
    skipMiddie: true,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, databaseUrl, logger, auth),
    adapter,
    {
      logger: new JsonNestLogger(logger),
      abortOnError: false,
    },
  );
  const fastify = app.getHttpAdapter().getInstance();
  const deadlines = requestDeadlines(app.get(DataSource), config.requestTimeoutMs, (url) =>
    /^\/(health|metrics)(\/|\?|$)/.test(url),
  );
  installRequestStart(adapter, deadlines);
  installGraphqlAuthentication(fastify, app.get(Authenticator), GRAPHQL_PATH);
  // With an app role the pool cannot migrate: migrations run as the URL's (owner) user.
  if (config.audit.appRole === null) await runMigrationsLocked(app.get(DataSource));
  else await runMigrationsAsOwner(databaseUrl);
  await app.init();
  installRequestEnd(adapter, deadlines, requestMetrics(fastify, app.get(CharterMetrics), GRAPHQL_PATH));
  // Only when configured: without tracing no hook is added to the request path.
  const tracing = app.get<Tracing | null>(TRACING);
  if (tracing !== null) {
    tracing.installHttp(fastify, GRAPHQL_PATH);
    tracing.installDatabase((app.get(DataSource).driver as unknown as { master: Pool }).master);
  }
  return app;
}
