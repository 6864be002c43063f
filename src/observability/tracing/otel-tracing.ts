import { Logger } from '@nestjs/common';
import {
  type Attributes,
  context,
  diag,
  DiagLogLevel,
  INVALID_SPAN_CONTEXT,
  propagation,
  type Span,
  SpanStatusCode,
  trace,
  type Tracer,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-node';
import { type FastifyInstance } from 'fastify';
import { type Pool } from 'pg';
import { type TracingConfig } from '../../config/app-config';
import { installHttpSpans } from './http-spans';
import { traceQueries } from './query-spans';
import { type Tracing } from './tracing';

/** Failed spans carry the error's class and code, never its message (it may quote input). */
export function markFailed(span: Span, error: unknown): void {
  const code = error instanceof Object ? (error as { code?: unknown }).code : undefined;
  const name = error instanceof Error ? error.name : 'Error';
  span.setStatus({ code: SpanStatusCode.ERROR, ...(typeof code === 'string' && { message: code }) });
  span.setAttribute('error.type', typeof code === 'string' ? code : name);
}

const EXPORT_TIMEOUT_MS = 3000;

/** OTLP/HTTP JSON export in batches; W3C trace context accepted from callers. */
export class OtelTracing implements Tracing {
  private readonly provider: NodeTracerProvider;
  private readonly tracer: Tracer;
  private readonly log = new Logger('Tracing');

  constructor(config: TracingConfig) {
    this.provider = new NodeTracerProvider({
      resource: resourceFromAttributes({ 'service.name': config.serviceName }),
      sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.sampleRatio) }),
      spanProcessors: [
        new BatchSpanProcessor(
          // Bounded, so a collector that is down cannot hold up shutdown for long.
          new OTLPTraceExporter({ url: config.tracesUrl, timeoutMillis: EXPORT_TIMEOUT_MS }),
          { exportTimeoutMillis: EXPORT_TIMEOUT_MS },
        ),
      ],
    });
    // Global context manager (AsyncLocalStorage) and propagator; spans come from our own tracer.
    this.provider.register();
    // Failed exports (collector down, refused) reach the service log instead of vanishing.
    const log = this.log;
    diag.setLogger(
      {
        error: (message: string) => {
          log.error(message);
        },
        warn: (message: string) => {
          log.warn(message);
        },
        info: () => undefined,
        debug: () => undefined,
        verbose: () => undefined,
      },
      DiagLogLevel.WARN,
    );
    this.tracer = this.provider.getTracer('charter');
  }

  inSpan<T>(name: string, attributes: Attributes, work: (span: Span) => T): T {
    const parent = context.active();
    if (trace.getSpan(parent) === undefined) return work(trace.wrapSpanContext(INVALID_SPAN_CONTEXT));
    const span = this.tracer.startSpan(name, { attributes }, parent);
    let result: T;
    try {
      result = context.with(trace.setSpan(parent, span), () => work(span));
    } catch (error) {
      markFailed(span, error);
      span.end();
      throw error;
    }
    if (result instanceof Promise) {
      result.then(
        () => {
          span.end();
        },
        (error: unknown) => {
          markFailed(span, error);
          span.end();
        },
      );
    } else span.end();
    return result;
  }

  installHttp(fastify: FastifyInstance, graphqlPath: string): void {
    installHttpSpans(fastify, this.tracer, graphqlPath);
  }

  installDatabase(pool: Pool): void {
    pool.on('acquire', (client) => {
      traceQueries(client, this.tracer);
    });
  }

  /** The last export may fail (collector down): that is logged, and shutdown goes on. */
  async shutdown(): Promise<void> {
    await this.provider.shutdown().catch((error: unknown) => {
      this.log.error(
        `the last span export failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
    trace.disable();
    context.disable();
    propagation.disable();
    diag.disable();
  }
}
