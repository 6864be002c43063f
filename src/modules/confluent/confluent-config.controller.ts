import { Body, Controller, Delete, Get, Param, Put, Query, UseFilters } from '@nestjs/common';
import { type Actor } from '../../auth/actor';
import { CurrentActor, Requires } from '../../auth/decorators';
import { type LevelAnswer, type LevelUpdate, ConfluentConfigService } from './confluent-config.service';
import { flag } from './confluent-request';
import { ServedAsConfluentJson, ConfluentExceptionFilter } from './confluent-transport';

/** Compatibility levels (a.3 rows 5-7 and the DELETE extra); the services decide who may change them. */
@Controller('config')
@UseFilters(ConfluentExceptionFilter)
@ServedAsConfluentJson()
export class ConfluentConfigController {
  constructor(private readonly config: ConfluentConfigService) {}

  @Get()
  @Requires('read', 'Contract')
  global(@CurrentActor() actor: Actor): Promise<LevelAnswer> {
    return this.config.globalLevel(actor);
  }

  @Put()
  @Requires('update', 'Domain')
  setGlobal(@CurrentActor() actor: Actor, @Body() body: unknown): Promise<LevelUpdate> {
    return this.config.setGlobalLevel(actor, body);
  }

  @Get(':subject')
  @Requires('read', 'Contract')
  subject(
    @CurrentActor() actor: Actor,
    @Param('subject') subject: string,
    @Query() query: Record<string, string | undefined>,
  ): Promise<LevelAnswer> {
    return this.config.subjectLevel(actor, subject, flag(query.defaultToGlobal));
  }

  /** Producers may send it (kafkajs does after a first registration); see the service. */
  @Put(':subject')
  @Requires('publish', 'Contract')
  setSubject(
    @CurrentActor() actor: Actor,
    @Param('subject') subject: string,
    @Body() body: unknown,
  ): Promise<LevelUpdate> {
    return this.config.setSubjectLevel(actor, subject, body);
  }

  @Delete(':subject')
  @Requires('update', 'DataProduct')
  clearSubject(@CurrentActor() actor: Actor, @Param('subject') subject: string): Promise<LevelAnswer> {
    return this.config.clearSubjectLevel(actor, subject);
  }
}
