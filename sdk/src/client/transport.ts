import { CharterClientError, fromRegistryCode } from './errors';
import { DEFAULT_RETRY, type RetryOptions, withRetry } from './retry';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface TransportOptions {
  /** The registry's base URL (`https://charter.example`) or its GraphQL endpoint (`.../graphql`). */
  readonly url: string;
  /** An API key or JWT, sent as `Authorization: Bearer`. */
  readonly token: string;
  readonly fetch?: FetchLike;
  readonly retry?: Partial<RetryOptions>;
  /** Per attempt. Default 10 s. */
  readonly timeoutMs?: number;
}

export type GraphqlRequest = <T>(query: string, variables: Record<string, unknown>) => Promise<T>;

interface GraphqlError {
  message?: unknown;
  extensions?: { code?: unknown; retryAfterSeconds?: unknown; errorId?: unknown };
}

/** Only http(s) endpoints from configuration; requests never go anywhere a response names. */
export function graphqlEndpoint(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CharterClientError('CONFIG_INVALID', 'the registry URL is not a valid URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new CharterClientError('CONFIG_INVALID', 'the registry URL must be http or https');
  if (parsed.username !== '' || parsed.password !== '')
    throw new CharterClientError('CONFIG_INVALID', 'put credentials in the token, not the registry URL');
  parsed.search = '';
  parsed.hash = '';
  if (!parsed.pathname.endsWith('/graphql'))
    parsed.pathname = `${parsed.pathname.replace(/\/+$/, '')}/graphql`;
  return parsed.toString();
}

function checkToken(token: string): void {
  // Visible ASCII only: a header value with CR, LF or spaces would be refused or split.
  if (!/^[\x21-\x7e]+$/.test(token))
    throw new CharterClientError(
      'CONFIG_INVALID',
      'the token is empty or contains whitespace or control characters',
    );
}

function firstError(errors: unknown): CharterClientError | undefined {
  if (!Array.isArray(errors) || errors.length === 0) return undefined;
  const error = errors[0] as GraphqlError;
  const code = typeof error.extensions?.code === 'string' ? error.extensions.code : 'INTERNAL';
  const retryAfter = error.extensions?.retryAfterSeconds;
  const errorId = error.extensions?.errorId;
  return fromRegistryCode(code, typeof error.message === 'string' ? error.message : code, {
    ...(typeof retryAfter === 'number' && retryAfter >= 0 ? { retryAfterSeconds: retryAfter } : {}),
    ...(typeof errorId === 'string' ? { errorId } : {}),
  });
}

function statusError(status: number): CharterClientError {
  if (status === 401 || status === 403)
    return new CharterClientError('CHARTER_AUTH', `the registry refused the credentials (HTTP ${status})`);
  if (status === 429)
    return new CharterClientError('RATE_LIMITED', 'the registry is rate limiting this client');
  if (status >= 500)
    return new CharterClientError('CHARTER_UNAVAILABLE', `the registry answered HTTP ${status}`);
  return new CharterClientError(
    'CHARTER_PROTOCOL',
    `the registry answered HTTP ${status} without a GraphQL body`,
  );
}

async function readBody(response: Response): Promise<{ data?: unknown; errors?: unknown } | undefined> {
  try {
    const body: unknown = await response.json();
    return typeof body === 'object' && body !== null ? body : undefined;
  } catch {
    return undefined;
  }
}

/** One attempt: network and HTTP failures become coded errors; GraphQL errors use `extensions.code`. */
async function attempt(
  options: TransportOptions,
  endpoint: string,
  body: string,
): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        authorization: `Bearer ${options.token}`,
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
  } catch {
    throw new CharterClientError('CHARTER_UNREACHABLE', 'the registry could not be reached');
  }
  const parsed = await readBody(response);
  const graphqlError = firstError(parsed?.errors);
  if (graphqlError) throw graphqlError;
  if (!response.ok || parsed === undefined) throw statusError(response.status);
  if (typeof parsed.data !== 'object' || parsed.data === null)
    throw new CharterClientError('CHARTER_PROTOCOL', 'the registry answered without data');
  return parsed.data as Record<string, unknown>;
}

/** A GraphQL caller bound to one registry and credential, retrying transient failures. */
export function createGraphqlRequest(options: TransportOptions): GraphqlRequest {
  const endpoint = graphqlEndpoint(options.url);
  checkToken(options.token);
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  return async <T>(query: string, variables: Record<string, unknown>): Promise<T> => {
    const body = JSON.stringify({ query, variables });
    const data = await withRetry(() => attempt(options, endpoint, body), retry);
    return data as T;
  };
}
