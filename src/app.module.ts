import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { type Logger } from 'pino';
import { AuthModule, type AuthModuleOptions } from './auth/auth.module';
import { type AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { dataSourceOptions } from './database/data-source-factory';
import { graphqlModule } from './graphql/graphql.module';
import { HealthModule } from './health/health.module';
import { ObservabilityModule } from './observability/observability.module';
import { ConfluentModule } from './modules/confluent/confluent.module';
import { ContractsModule } from './modules/contracts/contracts.module';
import { DataProductsModule } from './modules/data-products/data-products.module';
import { DomainsModule } from './modules/domains/domains.module';
import { PrincipalsModule } from './modules/principals/principals.module';
import { AuditModule } from './modules/audit/audit.module';
import { DatabaseAuditRecorder } from './modules/audit/database-audit-recorder';
import { GovernanceModule } from './modules/governance/governance.module';
import { ChangeEventsModule } from './modules/change-events/change-events.module';
import { WebhooksModule } from './modules/webhooks/webhooks.module';
import { LiveEventsModule } from './modules/live-events/live-events.module';

@Module({})
export class AppModule {
  static forRoot(
    config: AppConfig,
    databaseUrl: string,
    logger: Logger,
    auth: AuthModuleOptions = {},
  ): DynamicModule {
    const database = dataSourceOptions(databaseUrl, {
      poolSize: config.databasePoolSize,
      statementTimeoutMs: config.statementTimeoutMs,
      acquireTimeoutMs: config.databaseAcquireTimeoutMs,
      idleInTransactionTimeoutMs: config.databaseIdleInTransactionTimeoutMs,
      lockTimeoutMs: config.databaseLockTimeoutMs,
      role: config.audit.appRole,
    });
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        TypeOrmModule.forRoot({ ...database, retryAttempts: 5, retryDelay: 1000 }),
        graphqlModule(config, logger),
        ObservabilityModule,
        AuditModule,
        ChangeEventsModule,
        AuthModule.forRoot({ ...auth, auditRecorder: auth.auditRecorder ?? DatabaseAuditRecorder }),
        PrincipalsModule,
        HealthModule,
        DomainsModule,
        DataProductsModule,
        ContractsModule,
        ConfluentModule.forRoot(config.confluent),
        GovernanceModule,
        WebhooksModule,
        LiveEventsModule,
      ],
    };
  }
}
