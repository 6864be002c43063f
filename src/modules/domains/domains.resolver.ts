import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { type Actor } from '../../auth/actor';
import { CurrentActor, Requires } from '../../auth/decorators';
import { type DomainEntity } from './domain.entity';
import { DomainsService } from './domains.service';
import { CreateDomainInput, DomainsArgs, UpdateDomainInput } from './dto/domain.input';
import { DomainConnection, DomainModel } from './models/domain.model';
import { type Page } from '../../common/pagination';

@Resolver(() => DomainModel)
export class DomainsResolver {
  constructor(private readonly service: DomainsService) {}

  @Query(() => DomainModel, {
    description: 'A domain by name; NOT_FOUND when it does not exist or is not visible.',
  })
  @Requires('read', 'Domain')
  domain(@CurrentActor() actor: Actor, @Args('name') name: string): Promise<DomainEntity> {
    return this.service.get(actor, name);
  }

  @Query(() => DomainConnection, { description: 'The domains you may see.' })
  @Requires('read', 'Domain')
  domains(@CurrentActor() actor: Actor, @Args() args: DomainsArgs): Promise<Page<DomainEntity>> {
    return this.service.list(actor, args);
  }

  @Mutation(() => DomainModel)
  @Requires('create', 'Domain')
  createDomain(@CurrentActor() actor: Actor, @Args('input') input: CreateDomainInput): Promise<DomainEntity> {
    return this.service.create(actor, input);
  }

  @Mutation(() => DomainModel)
  @Requires('update', 'Domain')
  updateDomain(@CurrentActor() actor: Actor, @Args('input') input: UpdateDomainInput): Promise<DomainEntity> {
    return this.service.update(actor, input);
  }
}
