import { Module } from '@nestjs/common';
import { DataProductsModule } from '../data-products/data-products.module';
import { DomainsModule } from '../domains/domains.module';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeysService } from './api-keys.service';
import { BootstrapAdmin } from './bootstrap-admin';
import { PrincipalsRepository } from './principals.repository';
import { PrincipalsResolver } from './principals.resolver';
import { PrincipalsService } from './principals.service';
import { RoleGrantsRepository } from './role-grants.repository';
import { RoleGrantsService } from './role-grants.service';

@Module({
  imports: [DomainsModule, DataProductsModule],
  providers: [
    PrincipalsRepository,
    ApiKeysRepository,
    RoleGrantsRepository,
    PrincipalsService,
    ApiKeysService,
    RoleGrantsService,
    PrincipalsResolver,
    BootstrapAdmin,
  ],
})
export class PrincipalsModule {}
