import { context, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { type PoolClient } from 'pg';

const TRACED = Symbol('charter.tracing.queries');
const MAX_QUERY_TEXT = 1000;

type Callback = (error: Error | null, result?: unknown) => void;

/** The statement's first keyword (SELECT, INSERT, BEGIN...): a bounded span name. */
function operationOf(text: string): string {
  return /^\s*([A-Za-z]+)/.exec(text)?.[1]?.toUpperCase() ?? 'QUERY';
}

/**
 * Wraps one pooled connection's `query` (once): inside a trace each query gets a client span with
 * its SQL text (parameterised by the repositories, so no values) and ends when it settles.
 */
export function traceQueries(client: PoolClient, tracer: Tracer): void {
  const tracked = client as PoolClient & { [TRACED]?: true };
  if (tracked[TRACED]) return;
  tracked[TRACED] = true;
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (...args: unknown[]): unknown => {
    const parent = context.active();
    if (trace.getSpan(parent) === undefined) return query(...args);
    const first = args[0] as string | { text?: unknown } | undefined;
    const text = typeof first === 'string' ? first : typeof first?.text === 'string' ? first.text : '';
    const operation = operationOf(text);
    const span = tracer.startSpan(
      `pg ${operation}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'db.system.name': 'postgresql',
          'db.operation.name': operation,
          'db.query.text': text.slice(0, MAX_QUERY_TEXT),
        },
      },
      parent,
    );
    const settle = (error: unknown): void => {
      if (error) {
        const code = (error as { code?: unknown }).code;
        span.setStatus({ code: SpanStatusCode.ERROR, ...(typeof code === 'string' && { message: code }) });
      }
      span.end();
    };
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      const callback = last as Callback;
      args[args.length - 1] = (error: Error | null, result?: unknown) => {
        settle(error);
        callback(error, result);
      };
      return query(...args);
    }
    const result = query(...args);
    // a pipeline (queryPipelined) is a submittable that settles its own `done`
    const settled = result instanceof Promise ? result : (result as { done?: unknown } | undefined)?.done;
    if (settled instanceof Promise)
      settled.then(() => {
        settle(null);
      }, settle);
    else span.end();
    return result;
  };
}
