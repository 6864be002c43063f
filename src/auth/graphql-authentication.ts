import { type FastifyInstance } from 'fastify';
import { type Authenticator } from './authenticator';
import { UNAUTHENTICATED_MESSAGE } from './authorization.guard';

/**
 * Before any GraphQL document runs, even one that touches no resolver (`__typename`,
 * introspection): no credentials, no answer. Resolvers are then checked by the guard.
 */
export function installGraphqlAuthentication(
  fastify: FastifyInstance,
  authenticator: Authenticator,
  graphqlPath: string,
): void {
  fastify.addHook('preHandler', async (request, reply) => {
    if (request.routeOptions.url !== graphqlPath) return;
    const outcome = await authenticator.authenticateRequest(request);
    if (outcome.ok) return;
    await reply
      .status(401)
      .header('www-authenticate', 'Bearer')
      .send({
        data: null,
        errors: [{ message: UNAUTHENTICATED_MESSAGE, extensions: { code: 'UNAUTHENTICATED' } }],
      });
  });
}
