import { GraphQLError } from 'graphql';
import { type ExecutionResult } from 'graphql';
import { type Logger } from 'pino';
import { toPublicError, type PublicError } from '../common/errors/to-public-error';

interface FormattedError {
  message: string;
  locations?: readonly { line: number; column: number }[];
  path?: readonly (string | number)[];
  extensions: Record<string, unknown>;
}

/** GraphQL errors raised by graphql-js itself (syntax, validation, variable coercion) are the caller's input. */
function fromGraphqlError(error: GraphQLError): PublicError | null {
  const original = error.originalError;
  if (original === undefined || original instanceof GraphQLError) {
    return { code: 'INVALID_INPUT', message: error.message };
  }
  return null;
}

function expand(errors: readonly GraphQLError[]): GraphQLError[] {
  // Mercurius wraps document validation failures in one error holding the list.
  return errors.flatMap((error) => {
    const inner = (error.originalError as { errors?: unknown } | undefined)?.errors;
    return Array.isArray(inner)
      ? inner.map((e) => (e instanceof GraphQLError ? e : new GraphQLError(String(e))))
      : [error];
  });
}

export function formatGraphqlErrors(errors: readonly GraphQLError[], log: Logger): FormattedError[] {
  return expand(errors).map((error) => {
    const publicError = fromGraphqlError(error) ?? toPublicError(error.originalError);
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
export function mercuriusErrorFormatter(log: Logger) {
  return (execution: ExecutionResult & { statusCode?: number }) => {
    const errors = formatGraphqlErrors(execution.errors ?? [], log);
    const codes = new Set(errors.map((e) => e.extensions.code));
    const onlyCode = !execution.data && codes.size === 1 ? [...codes][0] : undefined;
    return {
      statusCode: onlyCode === 'INVALID_INPUT' ? 400 : onlyCode === 'PAYLOAD_TOO_LARGE' ? 413 : 200,
      response: { data: execution.data ?? null, errors },
    };
  };
}
