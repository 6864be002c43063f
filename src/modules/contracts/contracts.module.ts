import { Module } from '@nestjs/common';
import { DataProductsModule } from '../data-products/data-products.module';
import { DomainsModule } from '../domains/domains.module';
import { CompatibilitySettingsRepository } from './compatibility-settings.repository';
import { CompatibilitySettingsResolver } from './compatibility-settings.resolver';
import { CompatibilitySettingsService } from './compatibility-settings.service';
import { ContractChangeNotifier } from './contract-change-notifier';
import { ContractPublishRepository } from './contract-publish.repository';
import { ContractReadCache } from './contract-read-cache';
import { ProductStamps } from './product-stamps';
import { ContractVersionsRepository } from './contract-versions.repository';
import { ContractVersionsService } from './contract-versions.service';
import { ContractsResolver } from './contracts.resolver';
import { ProductLookup } from './product-lookup';
import { PublishContractService } from './publish-contract.service';
import { ValidatePayloadsService } from './validate-payloads.service';

@Module({
  imports: [DomainsModule, DataProductsModule],
  providers: [
    ProductLookup,
    ContractVersionsRepository,
    ContractPublishRepository,
    CompatibilitySettingsRepository,
    ProductStamps,
    ContractReadCache,
    ContractChangeNotifier,
    PublishContractService,
    ValidatePayloadsService,
    ContractVersionsService,
    CompatibilitySettingsService,
    ContractsResolver,
    CompatibilitySettingsResolver,
  ],
  exports: [ContractVersionsService, PublishContractService, ProductLookup, CompatibilitySettingsService],
})
export class ContractsModule {}
