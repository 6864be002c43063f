import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { type DomainEntity } from './domain.entity';
import { DomainsService } from './domains.service';
import { CreateDomainInput, DomainsArgs, UpdateDomainInput } from './dto/domain.input';
import { DomainConnection, DomainModel } from './models/domain.model';
import { type Page } from '../../common/pagination';

@Resolver(() => DomainModel)
export class DomainsResolver {
  constructor(private readonly service: DomainsService) {}

  @Query(() => DomainModel, { description: 'A domain by name; NOT_FOUND when it does not exist.' })
  domain(@Args('name') name: string): Promise<DomainEntity> {
    return this.service.get(name);
  }

  @Query(() => DomainConnection)
  domains(@Args() args: DomainsArgs): Promise<Page<DomainEntity>> {
    return this.service.list(args);
  }

  @Mutation(() => DomainModel)
  createDomain(@Args('input') input: CreateDomainInput): Promise<DomainEntity> {
    return this.service.create(input);
  }

  @Mutation(() => DomainModel)
  updateDomain(@Args('input') input: UpdateDomainInput): Promise<DomainEntity> {
    return this.service.update(input);
  }
}
