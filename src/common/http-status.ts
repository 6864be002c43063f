import { type ErrorCode } from './errors/error-codes';

/**
 * The HTTP status of each error code. Nest's exception handler answers every REST failure,
 * transport ones (bad JSON, oversized bodies, unknown routes, deadlines) included, through the
 * exception filters, which use this table.
 */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  INVALID_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
  TIMEOUT: 504,
};
