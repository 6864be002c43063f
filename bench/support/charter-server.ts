/** Child process of the registry bench: the real service on a random loopback port. */
import './sdk-from-source';
import 'reflect-metadata';
import { createApp } from '../../src/app.factory';
import { createLogger } from '../../src/common/logging/logger';
import { loadConfig } from '../../src/config/app-config';

async function main(): Promise<void> {
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? '';
  const defaults = loadConfig({});
  const config = {
    ...defaults,
    logLevel: 'silent' as const,
    bootstrapAdminKey: process.env.BENCH_ADMIN_KEY ?? null,
    rateLimit: { perMinute: 10_000_000, burst: 10_000_000 },
    databasePoolSize: 20,
    // bench:registry -- --no-audit: what the audit log costs a publish, chain lock included.
    audit: { ...defaults.audit, disabledForBenchmark: process.env.BENCH_NO_AUDIT === '1' },
    // The tracing bench points one server at its loopback OTLP sink.
    tracing: loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: process.env.BENCH_OTLP_ENDPOINT ?? '' }).tracing,
  };
  const app = await createApp(config, databaseUrl, createLogger('silent'));
  await app.listen({ host: '127.0.0.1', port: 0 });
  process.send?.({ url: await app.getUrl() });
  process.on('SIGINT', () => {
    process.exit(0);
  });
  process.on('disconnect', () => {
    void app.close().then(() => process.exit(0));
  });
}

void main();
