import { type FastifyInstance, type preHandlerAsyncHookHandler } from 'fastify';
import { type Authenticator } from './authenticator';
import { UNAUTHENTICATED_MESSAGE } from './authorization.guard';

/**
 * Before any GraphQL document runs, even one that touches no resolver (`__typename`,
 * introspection): no credentials, no answer. Resolvers are then checked by the guard. A WebSocket
 * upgrade with an Authorization header is refused here when it is invalid. A hook of the GraphQL
 * routes only (added as Mercurius registers them), so no other route pays for it.
 */
export function installGraphqlAuthentication(
  fastify: FastifyInstance,
  authenticator: Authenticator,
  graphqlPath: string,
): void {
  const authenticate: preHandlerAsyncHookHandler = async (request, reply) => {
    // A WebSocket may carry its credential in connection_init instead: checked there (subscription-edge).
    if ((request as { ws?: boolean }).ws === true && request.headers.authorization === undefined) return;
    const outcome = await authenticator.authenticateRequest(request);
    if (outcome.ok) return;
    await reply
      .status(401)
      .header('www-authenticate', 'Bearer')
      .send({
        data: null,
        errors: [{ message: UNAUTHENTICATED_MESSAGE, extensions: { code: 'UNAUTHENTICATED' } }],
      });
  };
  fastify.addHook('onRoute', (route) => {
    if (route.url !== graphqlPath) return;
    const existing = route.preHandler === undefined ? [] : [route.preHandler].flat();
    route.preHandler = [authenticate, ...existing];
  });
}
