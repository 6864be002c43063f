import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { type Logger } from 'pino';
import { type AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { dataSourceOptions } from './database/data-source-factory';
import { graphqlModule } from './graphql/graphql.module';
import { HealthModule } from './health/health.module';
import { ContractsModule } from './modules/contracts/contracts.module';
import { DataProductsModule } from './modules/data-products/data-products.module';
import { DomainsModule } from './modules/domains/domains.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, databaseUrl: string, logger: Logger): DynamicModule {
    const database = dataSourceOptions(databaseUrl, {
      poolSize: config.databasePoolSize,
      statementTimeoutMs: config.statementTimeoutMs,
    });
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        TypeOrmModule.forRoot({ ...database, retryAttempts: 5, retryDelay: 1000 }),
        graphqlModule(config, logger),
        HealthModule,
        DomainsModule,
        DataProductsModule,
        ContractsModule,
      ],
    };
  }
}
