import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, UseFilters } from '@nestjs/common';
import { type Actor } from '../../auth/actor';
import { CurrentActor, RateLimit, Requires } from '../../auth/decorators';
import { type SubjectVersion } from './confluent-outcomes';
import { flag, versionOfPath } from './confluent-request';
import { ConfluentSchemasService } from './confluent-schemas.service';
import { ConfluentSubjectsService } from './confluent-subjects.service';
import { ServedAsConfluentJson, ConfluentExceptionFilter } from './confluent-transport';

type Flags = Record<string, string | undefined>;

/** Confluent's `/subjects` routes (a.3 rows 1, 3, 4, 9-12 and the raw-schema extra). */
@Controller('subjects')
@UseFilters(ConfluentExceptionFilter)
@ServedAsConfluentJson()
export class ConfluentSubjectsController {
  constructor(
    private readonly subjects: ConfluentSubjectsService,
    private readonly schemas: ConfluentSchemasService,
  ) {}

  @Get()
  @Requires('read', 'Contract')
  list(@CurrentActor() actor: Actor, @Query() query: Flags): Promise<string[]> {
    return this.subjects.subjects(actor, flag(query.deleted), query.subjectPrefix);
  }

  @Post(':subject/versions')
  @HttpCode(200)
  @Requires('publish', 'Contract')
  @RateLimit('publish')
  register(
    @CurrentActor() actor: Actor,
    @Param('subject') subject: string,
    @Body() body: unknown,
  ): Promise<{ id: number }> {
    return this.subjects.register(actor, subject, body);
  }

  @Get(':subject/versions')
  @Requires('read', 'Contract')
  versions(
    @CurrentActor() actor: Actor,
    @Param('subject') subject: string,
    @Query() query: Flags,
  ): Promise<number[]> {
    return this.subjects.versionNumbers(actor, subject, flag(query.deleted));
  }

  @Get(':subject/versions/:version')
  @Requires('read', 'Contract')
  version(
    @CurrentActor() actor: Actor,
    @Param('subject') subject: string,
    @Param('version') version: string,
    @Query() query: Flags,
  ): Promise<SubjectVersion> {
    return this.subjects.version(actor, subject, versionOfPath(version), flag(query.deleted));
  }

  @Get(':subject/versions/:version/schema')
  @Requires('read', 'Contract')
  rawSchema(
    @CurrentActor() actor: Actor,
    @Param('subject') subject: string,
    @Param('version') version: string,
  ): Promise<unknown> {
    return this.schemas.rawOfVersion(actor, subject, versionOfPath(version));
  }

  @Post(':subject')
  @HttpCode(200)
  @Requires('read', 'Contract')
  lookup(
    @CurrentActor() actor: Actor,
    @Param('subject') subject: string,
    @Body() body: unknown,
    @Query() query: Flags,
  ): Promise<SubjectVersion> {
    return this.subjects.lookup(actor, subject, body, flag(query.deleted));
  }

  @Delete(':subject')
  @Requires('delete', 'Contract')
  deleteSubject(
    @CurrentActor() actor: Actor,
    @Param('subject') subject: string,
    @Query() query: Flags,
  ): Promise<number[]> {
    return this.subjects.deleteSubject(actor, subject, flag(query.permanent));
  }

  @Delete(':subject/versions/:version')
  @Requires('delete', 'Contract')
  deleteVersion(
    @CurrentActor() actor: Actor,
    @Param('subject') subject: string,
    @Param('version') version: string,
    @Query() query: Flags,
  ): Promise<number> {
    return this.subjects.deleteVersion(actor, subject, versionOfPath(version), flag(query.permanent));
  }
}
