import { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { type DocumentNode, getOperationAST, Kind } from 'graphql';
import { HTTP_STATUS } from '../common/http-status';
import { type CharterMetrics } from './charter-metrics';
import { onGraphqlExecution } from '../graphql/on-graphql-execution';
import { getOrCreate, newMap } from '../common/get-or-create';

interface GraphqlNote {
  operation?: string;
  outcome?: string;
}

// On the request itself, under a symbol only this file knows: a WeakMap entry per request cost
// 1.1 % of a GraphQL read's busy time, and more in GC.
const NOTE = Symbol('charter.graphql-note');
type WithNote = { [NOTE]?: GraphqlNote };
const CODE_OF_STATUS = new Map(Object.entries(HTTP_STATUS).map(([code, status]) => [status, code]));

function note(request: object): GraphqlNote {
  return ((request as WithNote)[NOTE] ??= {});
}

function noteOf(request: object): GraphqlNote | undefined {
  return (request as WithNote)[NOTE];
}

/** The error formatter tells which code a GraphQL response carried (its HTTP status is often 200). */
export function noteGraphqlOutcome(request: object | undefined, code: string): void {
  if (request) note(request).outcome ??= code;
}

// Mercurius hands the same parsed document for the same query text (its cache): label it once.
// Operation names come from the client: a few per document are kept, the rest computed each time.
const NAMES_PER_DOCUMENT = 16;
const labels = new WeakMap<DocumentNode, Map<string | undefined, string>>();

function cachedOperationLabel(document: DocumentNode, operationName: string | undefined): string {
  const byName = getOrCreate(labels, document, newMap<string | undefined, string>);
  let label = byName.get(operationName);
  if (label === undefined) {
    label = operationLabel(document, operationName);
    if (byName.size < NAMES_PER_DOCUMENT) byName.set(operationName, label);
  }
  return label;
}

/** A schema-bounded label: the one root field, `multiple`, or the operation type when it has none. */
function operationLabel(document: DocumentNode, operationName: string | undefined): string {
  const operation = getOperationAST(document, operationName);
  if (!operation) return 'unknown';
  const fields = operation.selectionSet.selections.filter((s) => s.kind === Kind.FIELD);
  if (fields.length === 1 && fields[0]) return `${operation.operation}.${fields[0].name.value}`;
  return `${operation.operation}.${fields.length === 0 ? 'fragments' : 'multiple'}`;
}

/** The error code the GraphQL response carried, if any (for the tracing spans). */
export function notedGraphqlOutcome(request: object): string | undefined {
  return noteOf(request)?.outcome;
}

function outcomeOf(request: FastifyRequest, status: number): string {
  const noted = noteOf(request)?.outcome;
  if (noted) return noted;
  if (status < 400) return 'ok';
  return CODE_OF_STATUS.get(status) ?? (status >= 500 ? 'INTERNAL' : 'INVALID_INPUT');
}

/** Records one finished request; called by the response hook (app.factory.ts). */
export type RequestMetricsRecorder = (request: FastifyRequest, reply: FastifyReply) => void;

/** Counts and times every request except scrapes; GraphQL by root field, REST by route pattern. */
export function requestMetrics(
  fastify: FastifyInstance,
  metrics: CharterMetrics,
  graphqlPath: string,
): RequestMetricsRecorder {
  onGraphqlExecution(fastify, (request, document, operationName) => {
    note(request).operation = cachedOperationLabel(document, operationName);
  });
  // `METHOD /route/pattern` labels, built once per route and method, not per request.
  const restOperations = new Map<string | undefined, Map<string, string>>();
  // Bounded: route patterns, and the methods Node's HTTP parser accepts (a fixed list).
  const restOperation = (method: string, route: string | undefined): string =>
    getOrCreate(
      getOrCreate(restOperations, route, newMap<string, string>),
      method,
      () => `${method} ${route ?? 'unmatched'}`,
    );
  return (request, reply) => {
    const route = request.routeOptions.url;
    if (route === '/metrics') return;
    const graphql = route === graphqlPath;
    const operation = graphql
      ? (noteOf(request)?.operation ?? 'refused')
      : restOperation(request.method, route);
    metrics.request(
      graphql ? 'graphql' : 'rest',
      operation,
      outcomeOf(request, reply.statusCode),
      reply.elapsedTime / 1000,
    );
  };
}
