import { Module } from '@nestjs/common';
import { DomainsRepository } from './domains.repository';
import { DomainsResolver } from './domains.resolver';
import { DomainsService } from './domains.service';

@Module({
  providers: [DomainsRepository, DomainsService, DomainsResolver],
  exports: [DomainsService, DomainsRepository],
})
export class DomainsModule {}
