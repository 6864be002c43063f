import {
  type DocumentNode,
  getOperationAST,
  GraphQLError,
  Kind,
  type GraphQLSchema,
  parse,
  specifiedRules,
  validate,
  type ValidationRule,
} from 'graphql';
import { type FastifyInstance, type onRequestAsyncHookHandler, type RouteOptions } from 'fastify';
import { type Logger } from 'pino';
import { type Authenticator } from '../auth/authenticator';
import { type GraphqlLimits } from '../config/app-config';
import { formatGraphqlErrors } from './error-formatter';

/** graphql-ws close code for a refused connection_init (the client does not retry it). */
export const FORBIDDEN_CLOSE_CODE = 4403;

interface Headers {
  [name: string]: string | string[] | undefined;
}

/** What Mercurius' connection exposes to onConnect as `this` (16.x): the upgrade request, the socket, its error sender. */
interface MercuriusConnection {
  context?: { request?: { headers: Headers } };
  socket?: { close(code: number, reason: string): void };
  sendError?: (error: unknown, id: unknown) => void;
  handleGQLStart?: (message: { payload?: unknown }) => Promise<unknown>;
}

/** How errors sent on a socket are made public, as the HTTP error formatter does. */
export interface SocketErrorFormat {
  log: Logger;
  hideSuggestions: boolean;
}

/** Mercurius' own refusals of what a client sent, by their code or (protocol errors) exact message. */
const CLIENT_FAULTS: Record<string, { code: 'INVALID_INPUT' | 'UNAUTHENTICATED'; message: string }> = {
  MER_ERR_GQL_SUBSCRIPTION_INVALID_OPERATION: {
    code: 'INVALID_INPUT',
    message: 'only subscriptions run over the socket; send queries and mutations over HTTP',
  },
  MER_ERR_GQL_SUBSCRIPTION_UNKNOWN_EXTENSION: { code: 'INVALID_INPUT', message: 'unknown message extension' },
  MER_ERR_GQL_SUBSCRIPTION_FORBIDDEN: { code: 'UNAUTHENTICATED', message: 'missing or invalid credentials' },
  'Invalid payload type': { code: 'INVALID_INPUT', message: 'unknown message type' },
  'Message must be a JSON string': { code: 'INVALID_INPUT', message: 'messages must be JSON' },
  'Must provide document.': { code: 'INVALID_INPUT', message: 'the message has no document' },
};

function clientFault(error: unknown): GraphQLError | null {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const fault =
    (typeof code === 'string' ? CLIENT_FAULTS[code] : undefined) ??
    (typeof message === 'string' ? CLIENT_FAULTS[message] : undefined);
  return fault ? new GraphQLError(fault.message, { extensions: { code: fault.code } }) : null;
}

function hasPublicCode(error: unknown): error is GraphQLError {
  return error instanceof GraphQLError && typeof error.extensions.code === 'string';
}

/**
 * Mercurius sends some failures (a syntax error, a document with no operation to pick) straight
 * from graphql-js or its own code. Every error leaving the socket gets a public code here; one
 * without is formatted like an HTTP one (graphql-js errors as INVALID_INPUT, anything else INTERNAL).
 */
function publicSocketErrors(connection: MercuriusConnection, format: SocketErrorFormat): void {
  const send = connection.sendError?.bind(connection);
  if (send === undefined) return;
  connection.sendError = (error, id) => {
    if (hasPublicCode(error)) {
      send(error, id);
      return;
    }
    const fault = clientFault(error);
    if (fault) {
      send(fault, id);
      return;
    }
    const graphqlError =
      error instanceof GraphQLError ? error : new GraphQLError('failed', { originalError: error as Error });
    send(refusal([graphqlError], format.log, format.hideSuggestions), id);
  };
}

/**
 * Which operation of a `subscribe` message's document to run, refused when there is none to pick:
 * Mercurius reads the picked operation's type without checking that one was found (a TypeError,
 * INTERNAL on the socket). A document that does not parse is left to Mercurius' own syntax error.
 */
function operationRefusal(payload: unknown): GraphQLError | null {
  const { query, operationName } = (payload ?? {}) as { query?: unknown; operationName?: unknown };
  if (typeof query !== 'string') return null;
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch {
    return null;
  }
  const name = typeof operationName === 'string' ? operationName : undefined;
  if (getOperationAST(document, name)) return null;
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION).length;
  const message =
    name !== undefined
      ? `no operation named "${name.slice(0, 100)}" in the document`
      : operations === 0
        ? 'the document has no operation to run'
        : 'the document holds several operations: name the one to run (operationName)';
  return new GraphQLError(message, { extensions: { code: 'INVALID_INPUT' } });
}

function refuseOperationlessStarts(connection: MercuriusConnection): void {
  const start = connection.handleGQLStart?.bind(connection);
  if (start === undefined) return;
  connection.handleGQLStart = (message) => {
    const refusal = operationRefusal(message.payload);
    return refusal ? Promise.reject(refusal) : start(message);
  };
}

function payloadAuthorization(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  // Mercurius reads connection_init headers from `payload.headers` when present, else `payload`.
  const headers = (payload as { headers?: unknown }).headers ?? payload;
  if (typeof headers !== 'object') return undefined;
  const record = headers as Record<string, unknown>;
  const value = record.authorization ?? record.Authorization;
  return typeof value === 'string' ? value : undefined;
}

/**
 * connection_init: the credential of the upgrade request, else `authorization` in the payload,
 * goes through the same Authenticator as HTTP; without a valid one the socket is closed (4403)
 * before any subscription. The credential is then the request's Authorization header, which
 * the guard checks again for each subscription.
 */
export function subscriptionOnConnect(authenticator: Authenticator, format: SocketErrorFormat) {
  return async function onConnect(this: MercuriusConnection | undefined, message: { payload?: unknown }) {
    const request = this?.context?.request;
    const upgrade = request?.headers.authorization;
    const authorization = typeof upgrade === 'string' ? upgrade : payloadAuthorization(message.payload);
    const outcome =
      authorization === undefined
        ? null
        : await authenticator.authenticateRequest({ headers: { authorization } });
    if (outcome?.ok !== true || request === undefined) {
      this?.socket?.close(FORBIDDEN_CLOSE_CODE, 'Forbidden');
      return false;
    }
    request.headers.authorization = authorization;
    if (this !== undefined) {
      publicSocketErrors(this, format);
      refuseOperationlessStarts(this);
    }
    return true;
  };
}

/** The first error, formatted as the HTTP error formatter would (e.g. INVALID_INPUT with the limit's code). */
function refusal(errors: readonly GraphQLError[], log: Logger, hideSuggestions: boolean): GraphQLError {
  const [first] = formatGraphqlErrors(errors, log, { hideSuggestions });
  return new GraphQLError(first?.message ?? 'invalid subscription', {
    extensions: first?.extensions ?? { code: 'INVALID_INPUT' },
  });
}

/**
 * Mercurius parses subscription documents without parse options and runs them without
 * validation; these hooks apply the same token limit and validation rules as HTTP requests.
 */
export function subscriptionValidationHooks(
  limits: GraphqlLimits,
  rules: readonly ValidationRule[],
  validateOptions: { maxErrors: number; hideSuggestions: boolean },
  log: Logger,
) {
  const allRules = [...specifiedRules, ...rules];
  return {
    preSubscriptionParsing: (_schema: GraphQLSchema, source: string): Promise<void> => {
      try {
        parse(source, { maxTokens: limits.maxTokens });
      } catch (error) {
        const parseError = error instanceof GraphQLError ? error : new GraphQLError('invalid document');
        return Promise.reject(refusal([parseError], log, validateOptions.hideSuggestions));
      }
      return Promise.resolve();
    },
    preSubscriptionExecution: (schema: GraphQLSchema, document: DocumentNode): Promise<void> => {
      const errors = validate(schema, document, allRules, validateOptions);
      return errors.length === 0
        ? Promise.resolve()
        : Promise.reject(refusal(errors, log, validateOptions.hideSuggestions));
    },
  };
}

/**
 * Mercurius' CSRF check (on the GET route that also upgrades) wants a content type or a custom
 * header, which browsers cannot put on a WebSocket handshake. Cross-site WebSocket hijacking
 * needs ambient credentials and Charter has none: a socket authenticates only with an explicit
 * Authorization header or connection_init payload. So a real upgrade (Node's `upgrade` flag)
 * skips that check; plain GETs keep it. Only this route is wrapped: other requests pay nothing.
 */
export function letWebSocketUpgradesPastCsrfCheck(fastify: FastifyInstance, graphqlPath: string): void {
  fastify.addHook('onRoute', (route: RouteOptions & { wsHandler?: unknown }) => {
    if (route.url !== graphqlPath || route.wsHandler === undefined || typeof route.onRequest !== 'function')
      return;
    const csrfCheck = route.onRequest as onRequestAsyncHookHandler;
    const onRequest: onRequestAsyncHookHandler = function (request, reply) {
      if ((request.raw as { upgrade?: boolean }).upgrade === true) return Promise.resolve();
      return csrfCheck.call(this, request, reply);
    };
    route.onRequest = onRequest;
  });
}
