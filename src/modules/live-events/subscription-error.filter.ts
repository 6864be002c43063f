import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import { toPublicError } from '../../common/errors/to-public-error';

/**
 * Mercurius sends a refused subscription over the socket without the error formatter, so the
 * public code (FORBIDDEN, INVALID_INPUT, ...) is attached here, as the formatter does for HTTP.
 */
@Catch()
export class SubscriptionErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Subscriptions');

  catch(exception: unknown, _host: ArgumentsHost): never {
    const error = toPublicError(exception);
    if (error.code === 'INTERNAL') this.logger.error(`subscription failed (${error.errorId ?? 'no id'})`);
    const { code, details, errorId } = error;
    throw new GraphQLError(error.message, {
      extensions: { code, ...(details ? { details } : {}), ...(errorId ? { errorId } : {}) },
    });
  }
}
