import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { admitCaller, admitKnownCaller } from '../../auth/admit-caller';
import { AUDIT_RECORDER, type AuditRecorder } from '../../auth/audit-recorder';
import { Authenticator } from '../../auth/authenticator';
import { DenialAudit } from '../../auth/denial-audit';
import { schemaIdOfPath } from './confluent-request';
import { type ServedSchema } from './confluent-schema';
import { ConfluentSchemasService } from './confluent-schemas.service';
import {
  auditedFailure,
  CONFLUENT_CONTENT_TYPE,
  CONFLUENT_PREFIX,
  sendConfluentError,
} from './confluent-transport';

/**
 * `GET {prefix}/schemas/ids/:id` (`?subject=` accepted and ignored: ids are global): what every
 * consumer calls on a cache miss, so it is a Fastify route of its own instead of going through
 * Nest's router, guard and filter machinery (README "Benchmarks"). The checks are the guard's
 * (`admitCaller`: authentication, `read Contract` at all, the denial audited), then the service's
 * per-instance visibility; failures are audited and answered as the Confluent filter answers them.
 * The global hooks (request context, deadline, metrics) run for it like for every route.
 */
@Injectable()
export class SchemaByIdRoute implements OnModuleInit {
  // A served schema is immutable and cached per id: its JSON text is built once.
  private readonly texts = new WeakMap<ServedSchema, string>();

  constructor(
    private readonly host: HttpAdapterHost,
    @Inject(CONFLUENT_PREFIX) private readonly prefix: string,
    private readonly authenticator: Authenticator,
    @Inject(AUDIT_RECORDER) private readonly audit: AuditRecorder,
    private readonly denials: DenialAudit,
    private readonly schemas: ConfluentSchemasService,
  ) {}

  onModuleInit(): void {
    const fastify = this.host.httpAdapter.getInstance<FastifyInstance>();
    fastify.get<{ Params: { id: string } }>(`${this.prefix}/schemas/ids/:id`, (request, reply) =>
      this.serve(request, reply),
    );
  }

  private async serve(
    request: FastifyRequest<{ Params: { id: string } }>,
    reply: FastifyReply,
  ): Promise<FastifyReply> {
    let text: string;
    try {
      const actor =
        admitKnownCaller(this.authenticator, request, 'read', 'Contract') ??
        (await admitCaller(this.authenticator, this.audit, request, 'read', 'Contract'));
      text = this.textOf(await this.schemas.byId(actor, schemaIdOfPath(request.params.id)));
    } catch (thrown) {
      sendConfluentError(request, reply, await auditedFailure(this.denials, thrown, request));
      return reply;
    }
    return reply.header('content-type', CONFLUENT_CONTENT_TYPE).send(text);
  }

  private textOf(served: ServedSchema): string {
    let text = this.texts.get(served);
    if (text === undefined) {
      text = JSON.stringify(served);
      this.texts.set(served, text);
    }
    return text;
  }
}
