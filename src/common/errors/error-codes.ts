/** The error codes clients see in `extensions.code`; documented in the README. */
export const ERROR_CODES = [
  'INVALID_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
  'UNAVAILABLE',
  'TIMEOUT',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorDetail {
  path?: string;
  code?: string;
  message: string;
}

/** A failure the caller caused or can act on. Anything else is masked as INTERNAL. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Too many expensive operations; the client may retry after the hint. */
export class RateLimitedError extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super('RATE_LIMITED', `too many requests; retry after ${retryAfterSeconds} s`);
  }
}

export const invalidInput = (message: string, details: ErrorDetail[] = []): DomainError =>
  new DomainError('INVALID_INPUT', message, details);
export const notFound = (what: string): DomainError => new DomainError('NOT_FOUND', `${what} not found`);
export const conflict = (message: string): DomainError => new DomainError('CONFLICT', message);
