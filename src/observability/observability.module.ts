import { Global, Module } from '@nestjs/common';
import { CharterMetrics } from './charter-metrics';
import { MetricsController } from './metrics.controller';
import { MetricsServer } from './metrics-server';

/** Metrics for every module to record into; `/metrics` itself is off unless configured. */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [CharterMetrics, MetricsServer],
  exports: [CharterMetrics],
})
export class ObservabilityModule {}
