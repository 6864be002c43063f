import { Module } from '@nestjs/common';
import { DomainsModule } from '../domains/domains.module';
import { DataProductsRepository } from './data-products.repository';
import { DataProductsResolver } from './data-products.resolver';
import { DataProductsService } from './data-products.service';

@Module({
  imports: [DomainsModule],
  providers: [DataProductsRepository, DataProductsService, DataProductsResolver],
  exports: [DataProductsService, DataProductsRepository],
})
export class DataProductsModule {}
