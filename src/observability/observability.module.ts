import { Global, Module } from '@nestjs/common';
import { type AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { CharterMetrics } from './charter-metrics';
import { MetricsController } from './metrics.controller';
import { MetricsServer } from './metrics-server';
import { startTracing, TRACING } from './tracing/tracing';
import { TracingShutdown } from './tracing/tracing-shutdown';

/** Metrics for every module to record into, and tracing; `/metrics` and traces are off unless configured. */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [
    {
      provide: TRACING,
      useFactory: (config: AppConfig) => startTracing(config.tracing),
      inject: [APP_CONFIG],
    },
    TracingShutdown,
    CharterMetrics,
    MetricsServer,
  ],
  exports: [CharterMetrics, TRACING],
})
export class ObservabilityModule {}
