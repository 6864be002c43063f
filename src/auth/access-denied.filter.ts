import { type ArgumentsHost, Catch, type ExceptionFilter, type ExecutionContext } from '@nestjs/common';
import { type FastifyReply } from 'fastify';
import { toPublicError } from '../common/errors/to-public-error';
import { HTTP_STATUS } from '../common/http-status';
import { AccessDeniedError } from './access';
import { DenialAudit } from './denial-audit';
import { requestOf } from './execution-request';

/**
 * Global, and it costs nothing on success: a refusal thrown by a resolver or route is recorded,
 * then answered as before (GraphQL: rethrown to the error formatter; REST: the coded error).
 * Routes with a filter of their own (Confluent, audit export) record through DenialAudit there.
 */
@Catch(AccessDeniedError)
export class AccessDeniedFilter implements ExceptionFilter {
  constructor(private readonly denials: DenialAudit) {}

  async catch(error: AccessDeniedError, host: ArgumentsHost): Promise<void> {
    await this.denials.recordIfDenied(error, requestOf(host as ExecutionContext));
    if (host.getType<string>() === 'graphql') throw error;
    const publicError = toPublicError(error);
    void host
      .switchToHttp()
      .getResponse<FastifyReply>()
      .status(HTTP_STATUS[publicError.code])
      .send(publicError);
  }
}
