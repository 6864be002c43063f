import { type ErrorCode } from '../../common/errors/error-codes';
import { type PublicError, toPublicError } from '../../common/errors/to-public-error';
import { HTTP_STATUS } from '../../common/http-status';

/** Confluent's error codes (Errors.java) for the conditions this API reports. */
export const CONFLUENT_CODES = {
  subjectNotFound: 40401,
  versionNotFound: 40402,
  schemaNotFound: 40403,
  subjectSoftDeleted: 40404,
  subjectNotSoftDeleted: 40405,
  versionSoftDeleted: 40406,
  versionNotSoftDeleted: 40407,
  subjectLevelCompatibilityNotConfigured: 40408,
  incompatibleSchema: 409,
  invalidSchema: 42201,
  invalidVersion: 42202,
  invalidCompatibilityLevel: 42203,
  operationNotPermitted: 42205,
  invalidSubject: 42208,
} as const;

/** An answer in Confluent's shape: HTTP status, `error_code` and a message without payload values. */
export class ConfluentError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: number,
    message: string,
    /** Charter's structured reasons (e.g. the change list of a 409), beside Confluent's two fields. */
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ConfluentError';
  }
}

export const subjectNotFound = (subject: string): ConfluentError =>
  new ConfluentError(404, CONFLUENT_CODES.subjectNotFound, `Subject '${subject}' not found.`);
export const versionNotFound = (version: number | string): ConfluentError =>
  new ConfluentError(404, CONFLUENT_CODES.versionNotFound, `Version ${version} not found.`);
export const schemaNotFound = (id?: number): ConfluentError =>
  new ConfluentError(
    404,
    CONFLUENT_CODES.schemaNotFound,
    id === undefined ? 'Schema not found' : `Schema ${id} not found`,
  );
export const invalidSchema = (why: string, details?: unknown): ConfluentError =>
  new ConfluentError(422, CONFLUENT_CODES.invalidSchema, `Invalid schema: ${why}`, details);

/** Charter's own codes for what reaches the filter unconverted: auth, rate limits, outages. */
const BY_CHARTER_CODE: Record<ErrorCode, number> = {
  INVALID_INPUT: 42200,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 40301,
  NOT_FOUND: CONFLUENT_CODES.subjectNotFound,
  CONFLICT: 40901,
  PAYLOAD_TOO_LARGE: 41301,
  RATE_LIMITED: 42901,
  INTERNAL: 50001,
  UNAVAILABLE: 50003,
  TIMEOUT: 50002,
};

export interface ConfluentErrorBody {
  error_code: number;
  message: string;
  details?: unknown;
  errorId?: string;
}

export interface ConfluentErrorReply {
  status: number;
  body: ConfluentErrorBody;
  /** Seconds, for the Retry-After header of a 429. */
  retryAfterSeconds?: number;
  /** Set when the caller must not see the cause: log it with this id. */
  internal?: PublicError;
}

/** The one mapping from anything thrown under the Confluent prefix to its reply. Pure. */
export function toConfluentReply(thrown: unknown): ConfluentErrorReply {
  if (thrown instanceof ConfluentError) {
    const body: ConfluentErrorBody = { error_code: thrown.errorCode, message: thrown.message };
    if (thrown.details !== undefined) body.details = thrown.details;
    return { status: thrown.status, body };
  }
  const publicError = toPublicError(thrown);
  const body: ConfluentErrorBody = {
    error_code: BY_CHARTER_CODE[publicError.code],
    message: publicError.message,
  };
  if (publicError.details) body.details = publicError.details;
  if (publicError.errorId) body.errorId = publicError.errorId;
  return {
    status: HTTP_STATUS[publicError.code] === 400 ? 422 : HTTP_STATUS[publicError.code],
    body,
    ...(publicError.retryAfterSeconds !== undefined && { retryAfterSeconds: publicError.retryAfterSeconds }),
    ...(publicError.code === 'INTERNAL' && { internal: publicError }),
  };
}
