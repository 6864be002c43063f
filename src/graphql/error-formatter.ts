import { GraphQLError } from 'graphql';
import { type ExecutionResult } from 'graphql';
import { type Logger } from 'pino';
import { toPublicError, type PublicError } from '../common/errors/to-public-error';
import { noteGraphqlOutcome } from '../observability/request-metrics';
import { LIMIT_CODES, LIMIT_EXTENSION } from './limits/document-limits.rule';

export interface FormatterOptions {
  /** Strip "Did you mean ...?" so a mistyped name reveals nothing about the schema. */
  hideSuggestions: boolean;
}

const TOO_MANY_TOKENS = /^Syntax Error: Document contains more that \d+ tokens/;
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

interface FormattedError {
  message: string;
  locations?: readonly { line: number; column: number }[];
  path?: readonly (string | number)[];
  extensions: Record<string, unknown>;
}

/**
 * An error of an execution result: graphql-js's GraphQLError, or graphql-jit's look-alike for a
 * compiled document (not an instance of graphql-js's class, and `extensions` only when its cause has them).
 */
type ExecutionError = Pick<GraphQLError, 'message' | 'locations' | 'path' | 'originalError'> & {
  readonly extensions?: Readonly<Record<string, unknown>>;
};

/**
 * GraphQL errors raised by the GraphQL engine itself (syntax, validation, variable coercion) are
 * the caller's input. A field error with no cause is not: graphql-jit raises a null in a non-null
 * field that way, where graphql-js wraps an Error; it is the service's fault.
 */
function fromGraphqlError(error: ExecutionError, options: FormatterOptions): PublicError | null {
  const original = error.originalError;
  if (original !== undefined && !(original instanceof GraphQLError)) return null;
  if (original === undefined && error.path !== undefined) return null;
  const message = options.hideSuggestions ? error.message.replace(SUGGESTION, '') : error.message;
  const limit = limitOf(error);
  return limit === null
    ? { code: 'INVALID_INPUT', message }
    : { code: 'INVALID_INPUT', message, details: [{ code: limit, message }] };
}

/** Which edge limit refused the document, if one did. */
function limitOf(error: ExecutionError): string | null {
  const named = error.extensions?.[LIMIT_EXTENSION];
  if (typeof named === 'string') return named;
  return TOO_MANY_TOKENS.test(error.message) ? LIMIT_CODES.tokens : null;
}

function expand(errors: readonly ExecutionError[]): ExecutionError[] {
  // Mercurius wraps document validation failures in one error holding the list.
  return errors.flatMap((error) => {
    const inner = (error.originalError as { errors?: unknown } | undefined)?.errors;
    return Array.isArray(inner)
      ? inner.map((e) => (e instanceof GraphQLError ? e : new GraphQLError(String(e))))
      : [error];
  });
}

export function formatGraphqlErrors(
  errors: readonly ExecutionError[],
  log: Logger,
  options: FormatterOptions = { hideSuggestions: false },
): FormattedError[] {
  return expand(errors).map((error) => {
    const publicError = fromGraphqlError(error, options) ?? toPublicError(error.originalError);
    if (publicError.code === 'INTERNAL') {
      log.error({ errorId: publicError.errorId, err: error.originalError ?? error }, 'unexpected error');
    }
    const { code, details, errorId, retryAfterSeconds } = publicError;
    return {
      message: publicError.message,
      ...(error.locations ? { locations: error.locations } : {}),
      ...(error.path ? { path: error.path } : {}),
      extensions: {
        code,
        ...(details ? { details } : {}),
        ...(errorId ? { errorId } : {}),
        ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
      },
    };
  });
}

/** Mercurius' errorFormatter: one formatter for every GraphQL response. */
export function mercuriusErrorFormatter(log: Logger, options: FormatterOptions) {
  return (
    execution: ExecutionResult & { statusCode?: number },
    context?: { reply?: { request: object } },
  ) => {
    // The request's own logger when there is one: its lines carry the request id.
    const requestLog = (context?.reply?.request as { log?: Logger } | undefined)?.log ?? log;
    const errors = formatGraphqlErrors(execution.errors ?? [], requestLog, options);
    const first = errors[0]?.extensions.code;
    if (typeof first === 'string') noteGraphqlOutcome(context?.reply?.request, first);
    const codes = new Set(errors.map((e) => e.extensions.code));
    const onlyCode = !execution.data && codes.size === 1 ? [...codes][0] : undefined;
    return {
      statusCode: onlyCode === 'INVALID_INPUT' ? 400 : onlyCode === 'PAYLOAD_TOO_LARGE' ? 413 : 200,
      response: { data: execution.data ?? null, errors },
    };
  };
}
