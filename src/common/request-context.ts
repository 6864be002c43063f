import { type Actor } from '../auth/actor';
import { type Deadline } from '../graphql/request-deadline';

/**
 * What audit events and the deadline of one request need to know about it. It lives on the
 * request object and travels explicitly (with the acting Actor, into each transaction), not in an
 * AsyncLocalStorage: on Node 20 an enabled storage runs async_hooks callbacks for every promise of
 * the process, about a fifth of a GraphQL read's CPU (README, Benchmarks).
 */
export interface RequestContext {
  requestId: string;
  client?: string;
  /** The authenticated caller, once the guard has admitted it. */
  actor?: Actor;
  /** The request's deadline (src/graphql/request-deadline.ts); none for exempt routes. */
  deadline?: Deadline;
}

// On the request itself, under a symbol only this file knows: no WeakMap entry per request.
const CONTEXT = Symbol('charter.request-context');
type WithContext = { [CONTEXT]?: RequestContext };

export function openRequestContext(request: object, context: RequestContext): RequestContext {
  (request as WithContext)[CONTEXT] = context;
  return context;
}

export function requestContextOf(request: object): RequestContext | undefined {
  return (request as WithContext)[CONTEXT];
}
