import { type FastifyReply, type FastifyRequest } from 'fastify';
import { Client, type ClientConfig, type Pool, type PoolClient } from 'pg';
import { type DataSource } from 'typeorm';
import { DomainError } from '../common/errors/error-codes';
import { type RequestContext } from '../common/request-context';

/** One request's budget and the pooled connections its transactions are running on. */
export interface Deadline {
  expired: boolean;
  timer: NodeJS.Timeout | null;
  /** Created by the request's first transaction: most reads are answered from caches without one. */
  clients: Set<TrackedClient> | null;
}

const OWNER = Symbol('charter.deadline');
const WRAPPED = Symbol('charter.deadline.wrapped');

type TrackedClient = PoolClient & {
  [OWNER]?: Deadline;
  [WRAPPED]?: true;
  activeQuery?: unknown;
};

// Rolling back is how a transaction gives up its locks: it must run even after the deadline.
const ALWAYS_ALLOWED = /^\s*ROLLBACK/i;

/** Thrown by any query a request starts after its deadline passed. */
export function requestTimedOut(): DomainError {
  return new DomainError('TIMEOUT', 'the request took too long and was cancelled');
}

/**
 * Every query on a connection bound to a deadline (bindDeadline) is refused once it passed, but a
 * ROLLBACK; the binding lasts until the connection is next taken from the pool.
 */
function track(client: TrackedClient): void {
  client[OWNER] = undefined;
  if (client[WRAPPED]) return;
  client[WRAPPED] = true;
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (...args: unknown[]): unknown => {
    const deadline = client[OWNER];
    if (!deadline?.expired) return query(...args);
    const text = typeof args[0] === 'string' ? args[0] : '';
    return ALWAYS_ALLOWED.test(text) ? query(...args) : Promise.reject(requestTimedOut());
  };
}

/**
 * Ties a transaction's connection to its request's deadline: cancelled when the deadline passes,
 * and from then on refusing new statements (so nothing commits after the TIMEOUT answer, F-08).
 * Throws TIMEOUT at once if the deadline already passed.
 */
export function bindDeadline(connection: unknown, deadline: Deadline | undefined): void {
  if (deadline === undefined) return;
  if (deadline.expired) throw requestTimedOut();
  const client = connection as TrackedClient;
  client[OWNER] = deadline;
  (deadline.clients ??= new Set()).add(client);
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

/** What the request hooks (app.factory.ts) call at a request's start and end; the deadline lives on its context. */
export interface RequestDeadlines {
  start(request: FastifyRequest, reply: FastifyReply, context: RequestContext): void;
  finish(context: RequestContext | undefined): void;
}

/**
 * A deadline per request (RELIABILITY G-05): when it passes, the request answers TIMEOUT, its
 * running transactions' queries are cancelled (they fail as TIMEOUT) and they start no new ones.
 */
export function requestDeadlines(
  dataSource: DataSource,
  timeoutMs: number,
  exempt: (url: string) => boolean,
): RequestDeadlines {
  const pool = poolOf(dataSource);
  const connection = (pool as unknown as { options: ClientConfig }).options;
  pool.on('acquire', (client) => {
    track(client);
  });
  return {
    start(request, reply, context) {
      // A WebSocket outlives any request budget; its queries must not inherit the upgrade's deadline.
      if (exempt(request.url) || (request.raw as { upgrade?: boolean }).upgrade === true) return;
      const deadline: Deadline = { expired: false, timer: null, clients: null };
      deadline.timer = setTimeout(() => {
        deadline.expired = true;
        cancelQueries(deadline, connection);
        // Answer now: a cancel or a rollback may itself wait on a slow network. The handler's late
        // reply is dropped by Fastify (the reply is already sent).
        if (!reply.sent) void reply.send(requestTimedOut());
      }, timeoutMs);
      deadline.timer.unref();
      context.deadline = deadline;
    },
    finish(context) {
      const timer = context?.deadline?.timer;
      if (timer) clearTimeout(timer);
    },
  };
}
