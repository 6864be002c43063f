/** Typed failures of the registry client; messages never carry payload values or credentials. */
export type CharterClientErrorCode =
  /** Network failure or timeout after every retry. */
  | 'CHARTER_UNREACHABLE'
  /** Credentials missing, invalid or not allowed (UNAUTHENTICATED, FORBIDDEN, HTTP 401/403). */
  | 'CHARTER_AUTH'
  /** No such product or version, or one this key may not see. */
  | 'NOT_FOUND'
  /** The registry refused the request's input (INVALID_INPUT, PAYLOAD_TOO_LARGE). */
  | 'INVALID_INPUT'
  /** Still rate limited after every retry. */
  | 'RATE_LIMITED'
  /** The registry answered 5xx, UNAVAILABLE or TIMEOUT after every retry. */
  | 'CHARTER_UNAVAILABLE'
  /** The registry failed unexpectedly (INTERNAL); `errorId` matches its log. */
  | 'CHARTER_INTERNAL'
  /** The answer was not the GraphQL response expected. */
  | 'CHARTER_PROTOCOL'
  /** A contract (served or local) does not compile or is not a valid contract document. */
  | 'CONTRACT_INVALID'
  /** The client was configured wrongly (URL, token, offline map). */
  | 'CONFIG_INVALID';

export interface CharterErrorDetails {
  readonly retryAfterSeconds?: number;
  /** The registry's `extensions.errorId` for INTERNAL failures. */
  readonly errorId?: string;
  /** The registry's own `extensions.code`. */
  readonly registryCode?: string;
  /** Why a contract document was refused (CONTRACT_INVALID). */
  readonly issues?: readonly { path: string; code: string; message: string }[];
}

/** Codes worth another attempt: the same request may succeed later. */
const RETRYABLE = new Set<CharterClientErrorCode>([
  'CHARTER_UNREACHABLE',
  'CHARTER_UNAVAILABLE',
  'RATE_LIMITED',
]);

export class CharterClientError extends Error {
  readonly retryable: boolean;

  constructor(
    readonly code: CharterClientErrorCode,
    message: string,
    readonly details: CharterErrorDetails = {},
  ) {
    super(message);
    this.name = 'CharterClientError';
    this.retryable = RETRYABLE.has(code);
  }
}

/** The registry's `extensions.code` mapped onto the client's codes. */
export function fromRegistryCode(
  registryCode: string,
  message: string,
  details: { retryAfterSeconds?: number; errorId?: string },
): CharterClientError {
  const code: CharterClientErrorCode =
    registryCode === 'UNAUTHENTICATED' || registryCode === 'FORBIDDEN'
      ? 'CHARTER_AUTH'
      : registryCode === 'NOT_FOUND'
        ? 'NOT_FOUND'
        : registryCode === 'INVALID_INPUT' ||
            registryCode === 'PAYLOAD_TOO_LARGE' ||
            registryCode === 'CONFLICT'
          ? 'INVALID_INPUT'
          : registryCode === 'RATE_LIMITED'
            ? 'RATE_LIMITED'
            : registryCode === 'UNAVAILABLE' || registryCode === 'TIMEOUT'
              ? 'CHARTER_UNAVAILABLE'
              : 'CHARTER_INTERNAL';
  return new CharterClientError(code, message, { ...details, registryCode });
}
