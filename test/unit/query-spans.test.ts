/** traceQueries: a pipeline (a submittable settling its own `done`) gets one span that lasts until it settles. */
import { context, trace, type Tracer } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { type PoolClient } from 'pg';
import { traceQueries } from '../../src/observability/tracing/query-spans';

function pipelineLike(): { text: string; done: Promise<unknown>; settle(error?: Error): void } {
  let resolve!: (value: unknown) => void;
  let reject!: (error: Error) => void;
  const done = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  done.catch(() => undefined);
  return {
    text: 'BEGIN;\nSELECT 1',
    done,
    settle: (error) => {
      if (error) reject(error);
      else resolve([]);
    },
  };
}

describe('traceQueries', () => {
  const exporter = new InMemorySpanExporter();
  const client = { query: (config: unknown) => config } as unknown as PoolClient;
  let tracer: Tracer;

  beforeAll(() => {
    const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    provider.register(); // the context manager that makes the parent span active
    tracer = provider.getTracer('test');
    traceQueries(client, tracer);
  });
  beforeEach(() => {
    exporter.reset();
  });

  const inSpan = <T>(run: () => T): T => {
    const parent = tracer.startSpan('parent');
    try {
      return context.with(trace.setSpan(context.active(), parent), run);
    } finally {
      parent.end();
    }
  };
  const querySpans = () => exporter.getFinishedSpans().filter((span) => span.name.startsWith('pg '));

  it('ends a pipeline span only when the pipeline settles, named by its first statement', async () => {
    const pipeline = pipelineLike();
    inSpan(() => client.query(pipeline as never));
    expect(querySpans()).toEqual([]);
    pipeline.settle();
    await pipeline.done;
    await new Promise((resolve) => setImmediate(resolve));
    expect(
      querySpans().map((span) => [span.name, span.attributes['db.query.text'], span.status.code]),
    ).toEqual([['pg BEGIN', 'BEGIN;\nSELECT 1', 0]]);
  });

  it('marks a failed pipeline span with the server error code', async () => {
    const pipeline = pipelineLike();
    inSpan(() => client.query(pipeline as never));
    pipeline.settle(Object.assign(new Error('duplicate'), { code: '23505' }));
    await pipeline.done.catch(() => undefined);
    await new Promise((resolve) => setImmediate(resolve));
    expect(querySpans().map((span) => [span.status.code, span.status.message])).toEqual([[2, '23505']]);
  });
});
