import { type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { type FastifyRequest } from 'fastify';

/** The Fastify request behind an HTTP route or a GraphQL resolver (Mercurius puts the reply in context). */
export function requestOf(context: ExecutionContext): FastifyRequest {
  if (context.getType<string>() === 'graphql') {
    const graphqlContext = GqlExecutionContext.create(context).getContext<{
      reply: { request: FastifyRequest };
    }>();
    return graphqlContext.reply.request;
  }
  return context.switchToHttp().getRequest<FastifyRequest>();
}
