import {
  type ArgumentsHost,
  Catch,
  type CallHandler,
  type ExceptionFilter,
  type ExecutionContext,
  Inject,
  Injectable,
  type NestInterceptor,
  type OnModuleInit,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { type Observable } from 'rxjs';
import { toConfluentReply } from './confluent-error';
import { MALFORMED_BODY } from './confluent-request';

export const CONFLUENT_CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';
/** Request types the Confluent spec accepts besides application/json, which Fastify already parses. */
export const EXTRA_REQUEST_TYPES = [
  'application/vnd.schemaregistry.v1+json',
  'application/vnd.schemaregistry+json',
  'application/octet-stream',
];
export const CONFLUENT_PREFIX = Symbol('CONFLUENT_PREFIX');

/** Empty bodies (kafkajs sends the vendor type on GET and DELETE too) are no body at all. */
export function parseConfluentBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return MALFORMED_BODY;
  }
}

const underPrefix = (url: string, prefix: string): boolean =>
  prefix === '' || url === prefix || url.startsWith(`${prefix}/`) || url.startsWith(`${prefix}?`);

/**
 * Teaches Fastify the Confluent request types. Without it the vendor JSON body never reaches the
 * handler and every register fails. Other routes keep refusing these types with 415.
 */
@Injectable()
export class ConfluentBodyParsers implements OnModuleInit {
  constructor(
    private readonly host: HttpAdapterHost,
    @Inject(CONFLUENT_PREFIX) private readonly prefix: string,
  ) {}

  onModuleInit(): void {
    const fastify = this.host.httpAdapter.getInstance<FastifyInstance>();
    const types = EXTRA_REQUEST_TYPES.filter((type) => !fastify.hasContentTypeParser(type));
    if (types.length === 0) return;
    fastify.addContentTypeParser(types, { parseAs: 'string' }, (request, body, done) => {
      if (!underPrefix(request.url, this.prefix)) {
        done(Object.assign(new Error('unsupported media type'), { statusCode: 415 }), undefined);
        return;
      }
      done(null, parseConfluentBody(body as string));
    });
  }
}

/** Every success under the prefix is served with Confluent's vendor type. */
@Injectable()
export class ConfluentContentType implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    void context.switchToHttp().getResponse<FastifyReply>().header('content-type', CONFLUENT_CONTENT_TYPE);
    return next.handle();
  }
}

/** Every failure under the prefix, guard refusals included, as `{error_code, message}`. */
@Catch()
export class ConfluentExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = toConfluentReply(exception);
    if (reply.internal) {
      http
        .getRequest<FastifyRequest>()
        .log.error({ err: exception, errorId: reply.internal.errorId }, 'unexpected error');
    }
    const response = http.getResponse<FastifyReply>();
    if (reply.retryAfterSeconds !== undefined)
      void response.header('retry-after', String(reply.retryAfterSeconds));
    void response.status(reply.status).header('content-type', CONFLUENT_CONTENT_TYPE).send(reply.body);
  }
}
