import { type FastifyInstance, type FastifyRequest } from 'fastify';
import { Client, type ClientConfig, type Pool, type PoolClient } from 'pg';
import { type DataSource } from 'typeorm';
import { DomainError } from '../common/errors/error-codes';
import { currentRequestContext, runInRequestContext } from '../common/request-context';

/** One request's budget and the pooled connections its queries are running on. */
interface Deadline {
  expired: boolean;
  timer: NodeJS.Timeout | null;
  /** Created by the request's first query: most reads are answered from caches without one. */
  clients: Set<TrackedClient> | null;
}

const OWNER = Symbol('charter.deadline');
const WRAPPED = Symbol('charter.deadline.wrapped');

type TrackedClient = PoolClient & {
  [OWNER]?: Deadline;
  [WRAPPED]?: true;
  activeQuery?: unknown;
};

// On the request itself (no WeakMap entry per request, slow to add and to collect).
const DEADLINE = Symbol('charter.deadline.request');
type WithDeadline = FastifyRequest & { [DEADLINE]?: Deadline };
// Rolling back is how a transaction gives up its locks: it must run even after the deadline.
const ALWAYS_ALLOWED = /^\s*ROLLBACK/i;

/** Thrown by any query a request starts after its deadline passed. */
export function requestTimedOut(): DomainError {
  return new DomainError('TIMEOUT', 'the request took too long and was cancelled');
}

/** Every query remembers which request runs it; after the deadline no new query starts. */
function track(client: TrackedClient): void {
  if (client[WRAPPED]) return;
  client[WRAPPED] = true;
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (...args: unknown[]): unknown => {
    const deadline = currentRequestContext()?.deadline as Deadline | undefined;
    client[OWNER] = deadline;
    if (!deadline) return query(...args);
    const text = typeof args[0] === 'string' ? args[0] : '';
    if (deadline.expired && !ALWAYS_ALLOWED.test(text)) return Promise.reject(requestTimedOut());
    (deadline.clients ??= new Set()).add(client);
    return query(...args);
  };
}

/** Cancels, with PostgreSQL's cancel request on a connection of its own, what the request still runs. */
function cancelQueries(deadline: Deadline, connection: ClientConfig): void {
  if (!deadline.clients) return;
  for (const client of deadline.clients) {
    if (client[OWNER] !== deadline || !client.activeQuery) continue;
    const canceller = new Client(connection) as Client & {
      cancel(client: unknown, query: unknown): void;
      connection: { on(event: string, listener: () => void): void };
    };
    // The server closes the cancel connection itself; a failure only means nothing was running.
    canceller.connection.on('error', () => undefined);
    canceller.cancel(client, client.activeQuery);
  }
  deadline.clients.clear();
}

function poolOf(dataSource: DataSource): Pool {
  return (dataSource.driver as unknown as { master: Pool }).master;
}

/**
 * A deadline per request (RELIABILITY G-05): when it passes, the request's running queries are
 * cancelled (they fail as TIMEOUT) and any query it starts afterwards is refused.
 */
export function installRequestDeadline(
  fastify: FastifyInstance,
  dataSource: DataSource,
  timeoutMs: number,
  exempt: (url: string) => boolean,
): void {
  const pool = poolOf(dataSource);
  const connection = (pool as unknown as { options: ClientConfig }).options;
  pool.on('acquire', (client) => {
    track(client);
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    // A WebSocket outlives any request budget; its queries must not inherit the upgrade's deadline.
    if (exempt(request.url) || (request.raw as { upgrade?: boolean }).upgrade === true) {
      done();
      return;
    }
    const deadline: Deadline = { expired: false, timer: null, clients: null };
    deadline.timer = setTimeout(() => {
      deadline.expired = true;
      cancelQueries(deadline, connection);
      // Answer now: a cancel or a rollback may itself wait on a slow network. The handler's late
      // reply is dropped by Fastify (the reply is already sent).
      if (!reply.sent) void reply.send(requestTimedOut());
    }, timeoutMs);
    deadline.timer.unref();
    (request as WithDeadline)[DEADLINE] = deadline;
    // On the request context the previous hook opened; without one (no such hook), a context of its own.
    const context = currentRequestContext();
    if (context) {
      context.deadline = deadline;
      done();
    } else runInRequestContext({ requestId: request.id, deadline }, done);
  });
  fastify.addHook('onResponse', (request, _reply, done) => {
    const deadline = (request as WithDeadline)[DEADLINE];
    if (deadline?.timer) clearTimeout(deadline.timer);
    done();
  });
}
