import { Body, Controller, Get, HttpCode, Param, Post, Query, UseFilters } from '@nestjs/common';
import { type Actor } from '../../auth/actor';
import { CurrentActor, RateLimit, Requires } from '../../auth/decorators';
import { flag, schemaIdOfPath, versionOfPath } from './confluent-request';
import { SCHEMA_TYPE } from './confluent-schema';
import { type CompatibilityAnswer, ConfluentSchemasService } from './confluent-schemas.service';
import { ServedAsConfluentJson, ConfluentExceptionFilter } from './confluent-transport';

type Flags = Record<string, string | undefined>;

/** Schemas by id, compatibility tests, and the small probes UIs and serializers make (a.3 2, 8, 13). */
@Controller()
@UseFilters(ConfluentExceptionFilter)
@ServedAsConfluentJson()
export class ConfluentSchemasController {
  constructor(private readonly schemas: ConfluentSchemasService) {}

  @Get()
  @Requires('read', 'Contract')
  root(): Record<string, never> {
    return {};
  }

  @Get('schemas/types')
  @Requires('read', 'Contract')
  types(): string[] {
    return [SCHEMA_TYPE];
  }

  @Get('mode')
  @Requires('read', 'Contract')
  mode(): { mode: 'READWRITE' } {
    return { mode: 'READWRITE' };
  }

  // `GET schemas/ids/:id` is served outside this controller: SchemaByIdRoute.

  @Get('schemas/ids/:id/schema')
  @Requires('read', 'Contract')
  rawById(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<unknown> {
    return this.schemas.rawById(actor, schemaIdOfPath(id));
  }

  /** No associations exist: the Confluent serializer then falls back to `<topic>-value`. */
  @Get('associations/resources/:namespace/:topic')
  @Requires('read', 'Contract')
  associations(): [] {
    return [];
  }

  @Post('compatibility/subjects/:subject/versions/:version')
  @HttpCode(200)
  @Requires('check', 'Contract')
  @RateLimit('check')
  testVersion(
    @CurrentActor() actor: Actor,
    @Param('subject') subject: string,
    @Param('version') version: string,
    @Body() body: unknown,
    @Query() query: Flags,
  ): Promise<CompatibilityAnswer> {
    return this.schemas.test(actor, subject, versionOfPath(version), body, flag(query.verbose));
  }

  @Post('compatibility/subjects/:subject/versions')
  @HttpCode(200)
  @Requires('check', 'Contract')
  @RateLimit('check')
  testAll(
    @CurrentActor() actor: Actor,
    @Param('subject') subject: string,
    @Body() body: unknown,
    @Query() query: Flags,
  ): Promise<CompatibilityAnswer> {
    return this.schemas.test(actor, subject, 'all', body, flag(query.verbose));
  }
}
