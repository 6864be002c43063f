import { type Attributes, type Span } from '@opentelemetry/api';
import { type FastifyInstance } from 'fastify';
import { type Pool } from 'pg';
import { type TracingConfig } from '../../config/app-config';

/** Nest token of the app's `Tracing`, or null when tracing is off. */
export const TRACING = Symbol('charter.tracing');

/** What the service asks of OpenTelemetry; the implementation is loaded only when configured. */
export interface Tracing {
  /** Runs `work` in a child span of the current one (none outside a trace); a throw marks it failed. */
  inSpan<T>(name: string, attributes: Attributes, work: (span: Span) => T): T;
  /** A server span per request (REST route pattern) and a child span per GraphQL operation. */
  installHttp(fastify: FastifyInstance, graphqlPath: string): void;
  /** A client span per query run inside a trace on the pool's connections. */
  installDatabase(pool: Pool): void;
  /** Exports what is still buffered and unregisters the global provider. */
  shutdown(): Promise<void>;
}

/**
 * Null when tracing is off. The OTel SDK is required here, not imported at the top, so a service
 * without tracing never loads it (only type imports above, which compile away).
 */
export function startTracing(config: TracingConfig | null): Tracing | null {
  if (config === null) return null;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when tracing is configured
  const { OtelTracing } = require('./otel-tracing') as typeof import('./otel-tracing');
  return new OtelTracing(config);
}
