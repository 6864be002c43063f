import { type FastifyError, type FastifyInstance } from 'fastify';
import { type ErrorCode } from './errors/error-codes';
import { toPublicError } from './errors/to-public-error';

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

/** Renders errors under a path prefix in another API's own error shape (the Confluent REST API). */
export interface PrefixErrorRenderer {
  prefix: string;
  render(error: unknown): { status: number; body: unknown };
}

/**
 * Transport-level failures (bad JSON, oversized bodies, unknown routes) and requests answered by
 * their deadline, in the same coded shape as every other error of the route's API.
 */
export function installHttpErrorHandler(
  fastify: FastifyInstance,
  renderers: PrefixErrorRenderer[] = [],
): void {
  fastify.setErrorHandler((error: FastifyError, request, reply) => {
    const renderer = renderers.find((r) => request.url.startsWith(r.prefix));
    const publicError = toPublicError(error);
    if (publicError.code === 'INTERNAL') {
      request.log.error({ err: error, errorId: publicError.errorId }, 'unexpected error');
    }
    if (renderer && !request.url.startsWith('/graphql')) {
      const rendered = renderer.render(error);
      void reply.status(rendered.status).send(rendered.body);
      return;
    }
    const body = request.url.startsWith('/graphql')
      ? {
          data: null,
          errors: [{ message: publicError.message, extensions: { ...publicError, message: undefined } }],
        }
      : publicError;
    void reply.status(HTTP_STATUS[publicError.code]).send(body);
  });
}
