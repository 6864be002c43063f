import { Readable } from 'node:stream';
import {
  type ArgumentsHost,
  Catch,
  Controller,
  type ExceptionFilter,
  Get,
  Query,
  StreamableFile,
  UseFilters,
} from '@nestjs/common';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { type Actor } from '../../auth/actor';
import { CurrentActor, Requires } from '../../auth/decorators';
import { DenialAudit } from '../../auth/denial-audit';
import { invalidInput } from '../../common/errors/error-codes';
import { toPublicError } from '../../common/errors/to-public-error';
import { HTTP_STATUS } from '../../common/http-status';
import { AuditReader } from './audit-reader.service';

/** Refusals (audited first) and bad input on this route answer in the service's coded shape, not as a 500. */
@Catch()
class CodedHttpErrors implements ExceptionFilter {
  constructor(private readonly denials: DenialAudit) {}

  async catch(thrown: unknown, host: ArgumentsHost): Promise<void> {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const error = await this.denials.recordIfDenied(thrown, request).then(
      () => thrown,
      (failure: unknown) => failure,
    );
    const publicError = toPublicError(error);
    // Under the request's id, as every formatter logs what it answers INTERNAL.
    if (publicError.code === 'INTERNAL')
      request.log.error({ err: error, errorId: publicError.errorId }, 'unexpected error');
    void http.getResponse<FastifyReply>().status(HTTP_STATUS[publicError.code]).send(publicError);
  }
}

/** `GET /audit/export?afterSeq=N` and `GET /audit/checkpoints`: what `charter audit verify` checks locally. */
@Controller('audit')
@UseFilters(CodedHttpErrors)
export class AuditExportController {
  constructor(private readonly reader: AuditReader) {}

  @Get('export')
  @Requires('read', 'AuditLog')
  export(@CurrentActor() actor: Actor, @Query('afterSeq') afterSeq?: string): StreamableFile {
    const after = afterSeq === undefined ? 0 : Number(afterSeq);
    if (!Number.isSafeInteger(after) || after < 0)
      throw invalidInput('afterSeq must be a non-negative integer', [
        { path: 'afterSeq', code: 'OUT_OF_RANGE', message: 'a non-negative integer' },
      ]);
    return new StreamableFile(Readable.from(this.reader.exportLines(actor, after)), {
      type: 'application/x-ndjson',
    });
  }

  /** `GET /audit/checkpoints`: every signed checkpoint held (directory and database), one JSON per line. */
  @Get('checkpoints')
  @Requires('read', 'AuditLog')
  async checkpoints(@CurrentActor() actor: Actor): Promise<StreamableFile> {
    const lines = (await this.reader.checkpoints(actor)).map(
      (checkpoint) => `${JSON.stringify(checkpoint)}\n`,
    );
    return new StreamableFile(Buffer.from(lines.join(''), 'utf8'), { type: 'application/x-ndjson' });
  }
}
