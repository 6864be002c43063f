import { AsyncLocalStorage } from 'node:async_hooks';
import { type Actor } from '../auth/actor';

/** What every log line and audit event of one request needs to know about it. */
export interface RequestContext {
  requestId: string;
  client?: string;
  /** The authenticated caller, once the guard has admitted it. */
  actor?: Actor;
  /** Set only when tracing is on: the current span's `trace_id` and `span_id` for log lines. */
  logFields?: () => Record<string, string>;
  /**
   * The request's deadline (src/graphql/request-deadline.ts), kept here so a request runs under
   * one AsyncLocalStorage, not two: each enabled storage costs a propagation per promise.
   */
  deadline?: unknown;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runInRequestContext<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}
