import { randomUUID } from 'node:crypto';
import { DomainError, type ErrorCode, type ErrorDetail, RateLimitedError } from './error-codes';

export interface PublicError {
  code: ErrorCode;
  message: string;
  details?: ErrorDetail[];
  errorId?: string;
  retryAfterSeconds?: number;
}

const UNAVAILABLE_PG_CODES = new Set([
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '08000',
  '08003',
  '08006',
  '08001',
]);
const UNAVAILABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']);
// TypeORM releases a transaction's connection when the server drops it; the next query gets this.
const UNAVAILABLE_ERROR_NAMES = new Set([
  'QueryRunnerProviderAlreadyReleasedError',
  'QueryRunnerAlreadyReleasedError',
]);

/**
 * The one mapping from any thrown value to what a client may see. Pure: the caller logs the
 * original with the returned errorId when the code is INTERNAL.
 */
export function toPublicError(thrown: unknown): PublicError {
  // graphql-js wraps values that are not Errors of its realm; the original is what we classify.
  const unwrapped = (thrown as { thrownValue?: unknown } | null)?.thrownValue ?? thrown;
  // TypeORM wraps whatever the driver rejected with, including our own coded errors.
  const driverError = (unwrapped as { driverError?: unknown } | null)?.driverError;
  const error = driverError instanceof DomainError ? driverError : unwrapped;
  if (error instanceof RateLimitedError) {
    return { code: error.code, message: error.message, retryAfterSeconds: error.retryAfterSeconds };
  }
  if (error instanceof DomainError) {
    return error.details.length > 0
      ? { code: error.code, message: error.message, details: error.details }
      : { code: error.code, message: error.message };
  }
  const code = (error as { code?: unknown } | null)?.code;
  const rawMessage = (error as { message?: unknown } | null)?.message;
  const message = typeof rawMessage === 'string' ? rawMessage : '';
  const transport = fromTransportError(code, (error as { statusCode?: unknown } | null)?.statusCode);
  if (transport) return transport;
  const name = (error as { name?: unknown } | null)?.name;
  const lostConnection =
    (typeof code === 'string' && (UNAVAILABLE_PG_CODES.has(code) || UNAVAILABLE_NODE_CODES.has(code))) ||
    (typeof name === 'string' && UNAVAILABLE_ERROR_NAMES.has(name));
  if (lostConnection) {
    return { code: 'UNAVAILABLE', message: 'the database is unavailable; retry later' };
  }
  if (code === '57014') return { code: 'TIMEOUT', message: 'the request took too long and was cancelled' };
  if (
    /Connection terminated|timeout exceeded when trying to connect|Connection is not established/i.test(
      message,
    )
  ) {
    return { code: 'UNAVAILABLE', message: 'the database is unavailable; retry later' };
  }
  return { code: 'INTERNAL', message: 'internal error', errorId: randomUUID() };
}

/** Fastify's own errors: malformed or oversized requests, which are the caller's to fix. */
function fromTransportError(code: unknown, statusCode: unknown): PublicError | null {
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return { code: 'PAYLOAD_TOO_LARGE', message: 'the request body is too large' };
  if (typeof statusCode === 'number' && statusCode === 404)
    return { code: 'NOT_FOUND', message: 'no such route' };
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return { code: 'INVALID_INPUT', message: 'the request is malformed' };
  }
  return null;
}
