import {
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
  type Tracer,
} from '@opentelemetry/api';
import { type FastifyInstance, type FastifyRequest } from 'fastify';
import { type DocumentNode, getOperationAST, Kind } from 'graphql';
import { notedGraphqlOutcome } from '../request-metrics';
import { onGraphqlExecution } from '../../graphql/on-graphql-execution';

/** Outcomes that are the service's fault, not the caller's: their spans are marked failed. */
const SERVER_FAULTS = new Set(['INTERNAL', 'UNAVAILABLE', 'TIMEOUT']);

interface RequestSpans {
  server: Span;
  graphql?: Span;
}

const spans = new WeakMap<FastifyRequest, RequestSpans>();

/** `mutation publishContractVersion`: the operation type and its root field(s), both schema-bounded. */
function nameOperation(span: Span, document: DocumentNode, operationName: string | undefined): void {
  const operation = getOperationAST(document, operationName);
  if (!operation) return;
  const fields = operation.selectionSet.selections.flatMap((s) =>
    s.kind === Kind.FIELD ? [s.name.value] : [],
  );
  const root = fields.length === 1 ? fields[0] : 'multiple';
  span.updateName(`${operation.operation} ${root}`);
  span.setAttribute('graphql.operation.type', operation.operation);
  if (operation.name) span.setAttribute('graphql.operation.name', operation.name.value.slice(0, 100));
  span.setAttribute('charter.graphql.root_fields', fields.slice(0, 20).join(','));
}

/**
 * Added only when tracing is on. The server span is named after the route pattern (never the raw
 * path, which holds names); GraphQL requests get a child span per operation that their resolvers'
 * database spans hang under.
 */
export function installHttpSpans(fastify: FastifyInstance, tracer: Tracer, graphqlPath: string): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    const route = request.routeOptions.url;
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const server = tracer.startSpan(
      route === undefined ? request.method : `${request.method} ${route}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': request.method,
          ...(route !== undefined && { 'http.route': route }),
        },
      },
      parent,
    );
    spans.set(request, { server });
    context.with(trace.setSpan(parent, server), done);
  });
  fastify.addHook('preHandler', (request, _reply, done) => {
    const found = spans.get(request);
    if (request.routeOptions.url !== graphqlPath || !found) {
      done();
      return;
    }
    const active = context.active();
    found.graphql = tracer.startSpan('graphql', { attributes: { 'charter.api': 'graphql' } }, active);
    context.with(trace.setSpan(active, found.graphql), done);
  });
  onGraphqlExecution(fastify, (request, document, operationName) => {
    const span = spans.get(request)?.graphql;
    if (span) nameOperation(span, document, operationName);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const found = spans.get(request);
    if (found) {
      const graphql = found.graphql;
      if (graphql) {
        const outcome = notedGraphqlOutcome(request);
        graphql.setAttribute('charter.outcome', outcome ?? 'ok');
        if (outcome !== undefined && SERVER_FAULTS.has(outcome))
          graphql.setStatus({ code: SpanStatusCode.ERROR });
        graphql.end();
      }
      found.server.setAttribute('http.response.status_code', reply.statusCode);
      if (reply.statusCode >= 500) found.server.setStatus({ code: SpanStatusCode.ERROR });
      found.server.end();
      spans.delete(request);
    }
    done();
  });
}
