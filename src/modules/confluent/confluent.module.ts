import { type DynamicModule, Module } from '@nestjs/common';
import { RouterModule } from '@nestjs/core';
import { type ConfluentConfig } from '../../config/app-config';
import { ContractsModule } from '../contracts/contracts.module';
import { ConfluentConfigController } from './confluent-config.controller';
import { ConfluentConfigService } from './confluent-config.service';
import { ConfluentSchemasController } from './confluent-schemas.controller';
import { ConfluentSchemasService } from './confluent-schemas.service';
import { ConfluentSubjectsController } from './confluent-subjects.controller';
import { ConfluentSubjectsService } from './confluent-subjects.service';
import { CONFLUENT_PREFIX, ConfluentBodyParsers } from './confluent-transport';
import { SchemaByIdRoute } from './schema-by-id.route';
import { ServedSchemaCache } from './served-schema-cache';

/** The Confluent Schema Registry compatible REST API, mounted under `config.prefix`. */
@Module({})
export class ConfluentModule {
  static forRoot(config: ConfluentConfig): DynamicModule {
    if (!config.enabled) return { module: ConfluentModule };
    return {
      module: ConfluentModule,
      imports: [ContractsModule, RouterModule.register([{ path: config.prefix, module: ConfluentModule }])],
      controllers: [ConfluentSubjectsController, ConfluentSchemasController, ConfluentConfigController],
      providers: [
        { provide: CONFLUENT_PREFIX, useValue: config.prefix },
        ConfluentBodyParsers,
        ServedSchemaCache,
        ConfluentSubjectsService,
        ConfluentSchemasService,
        ConfluentConfigService,
        SchemaByIdRoute,
      ],
    };
  }
}
