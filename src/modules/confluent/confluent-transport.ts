import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  Header,
  Inject,
  Injectable,
  type OnModuleInit,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { DenialAudit } from '../../auth/denial-audit';
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

/**
 * Every success of the controller's routes is served with Confluent's vendor type: a static
 * response header on each handler (an interceptor would cost an rxjs chain per request).
 */
export function ServedAsConfluentJson(): ClassDecorator {
  return (target) => {
    const prototype = (target as unknown as { prototype: object }).prototype;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
      if (name === 'constructor' || typeof descriptor?.value !== 'function') continue;
      Header('content-type', CONFLUENT_CONTENT_TYPE)(prototype, name, descriptor);
    }
  };
}

/** Answers anything thrown under the prefix in Confluent's shape, `{error_code, message}`. */
export function sendConfluentError(
  request: FastifyRequest,
  response: FastifyReply,
  exception: unknown,
): void {
  const reply = toConfluentReply(exception);
  if (reply.internal) {
    request.log.error({ err: exception, errorId: reply.internal.errorId }, 'unexpected error');
  }
  if (reply.retryAfterSeconds !== undefined)
    void response.header('retry-after', String(reply.retryAfterSeconds));
  void response.status(reply.status).header('content-type', CONFLUENT_CONTENT_TYPE).send(reply.body);
}

/**
 * A refusal is audited first (DenialAudit); if that fails, the failure is what the caller gets,
 * as with every audited refusal.
 */
export function auditedFailure(denials: DenialAudit, thrown: unknown, request: object): Promise<unknown> {
  return denials.recordIfDenied(thrown, request).then(
    () => thrown,
    (failure: unknown) => failure,
  );
}

/** Every failure under the prefix, guard refusals included, as `{error_code, message}`. */
@Catch()
@Injectable()
export class ConfluentExceptionFilter implements ExceptionFilter {
  constructor(private readonly denials: DenialAudit) {}

  async catch(thrown: unknown, host: ArgumentsHost): Promise<void> {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    sendConfluentError(
      request,
      http.getResponse<FastifyReply>(),
      await auditedFailure(this.denials, thrown, request),
    );
  }
}
