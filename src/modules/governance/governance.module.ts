import { Module } from '@nestjs/common';
import { type AppConfig } from '../../config/app-config';
import { CredentialsRepository } from '../../auth/credentials.repository';
import { APP_CONFIG } from '../../config/config.module';
import { ContractsModule } from '../contracts/contracts.module';
import { ContractDocumentResolver } from './contract-document.resolver';
import { DataKeysAdmin } from './data-keys-admin.service';
import { DataKeysRepository } from './data-keys.repository';
import { DataKeysService } from './data-keys.service';
import { ExportPayloadsService } from './export-payloads.service';
import { GovernanceResolver } from './governance.resolver';
import { GovernanceService } from './governance.service';
import { KEY_PROVIDER, keyProviderFrom } from './master-keys';
import { OnBehalfPlans } from './on-behalf-plans.service';
import { RevealService } from './reveal.service';

/** Field-level access and anonymization (issue 8): the SDK kernel behind GraphQL, audited. */
@Module({
  imports: [ContractsModule],
  providers: [
    {
      provide: KEY_PROVIDER,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => keyProviderFrom(config.masterKeys),
    },
    DataKeysRepository,
    DataKeysService,
    DataKeysAdmin,
    GovernanceService,
    ExportPayloadsService,
    // Looks up the principal a field plan is asked for on behalf of (stateless, so a second instance is fine).
    CredentialsRepository,
    OnBehalfPlans,
    RevealService,
    GovernanceResolver,
    ContractDocumentResolver,
  ],
})
export class GovernanceModule {}
