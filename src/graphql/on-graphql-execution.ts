import { type FastifyInstance, type FastifyRequest } from 'fastify';
import { type DocumentNode } from 'graphql';

/** The part of Mercurius' decoration of the Fastify instance that its hooks hang on. */
interface MercuriusHooks {
  graphql?: {
    addHook(
      name: 'preExecution',
      hook: (
        schema: unknown,
        document: DocumentNode,
        context: { reply?: { request: FastifyRequest } },
      ) => Promise<void>,
    ): void;
  };
}

/**
 * Calls `listener` before each GraphQL operation over HTTP runs, once its document is parsed and
 * validated, with the request, the document and the operation name the client chose.
 */
export function onGraphqlExecution(
  fastify: FastifyInstance,
  listener: (request: FastifyRequest, document: DocumentNode, operationName: string | undefined) => void,
): void {
  (fastify as unknown as MercuriusHooks).graphql?.addHook('preExecution', (_schema, document, context) => {
    const request = context.reply?.request;
    if (request) {
      const name = (request.body as { operationName?: unknown } | undefined)?.operationName;
      listener(request, document, typeof name === 'string' ? name : undefined);
    }
    return Promise.resolve();
  });
}
