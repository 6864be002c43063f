import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { type Actor } from '../../auth/actor';
import { CurrentActor, Requires } from '../../auth/decorators';
import { type Page } from '../../common/pagination';
import { type ApiKeyRecord } from './api-keys.repository';
import { ApiKeysService, type CreatedApiKey } from './api-keys.service';
import {
  CreateApiKeyInput,
  CreatePrincipalInput,
  GrantRoleInput,
  PrincipalsArgs,
  RoleGrantsArgs,
} from './dto/principal.input';
import {
  ApiKeyModel,
  CreatedApiKeyModel,
  PrincipalConnection,
  PrincipalModel,
  RoleGrantModel,
} from './models/principal.model';
import { type PrincipalRecord } from './principals.repository';
import { PrincipalsService } from './principals.service';
import { type RoleGrantRecord } from './role-grants.repository';
import { RoleGrantsService } from './role-grants.service';

@Resolver(() => PrincipalModel)
export class PrincipalsResolver {
  constructor(
    private readonly principalService: PrincipalsService,
    private readonly keyService: ApiKeysService,
    private readonly grantService: RoleGrantsService,
  ) {}

  @Query(() => PrincipalModel, { description: 'The caller.' })
  @Requires('read', 'Principal')
  me(@CurrentActor() actor: Actor): Promise<PrincipalRecord> {
    return this.principalService.get(actor, actor.name);
  }

  @Query(() => PrincipalModel, { description: 'A principal by name; NOT_FOUND when unknown or not visible.' })
  @Requires('read', 'Principal')
  principal(@CurrentActor() actor: Actor, @Args('name') name: string): Promise<PrincipalRecord> {
    return this.principalService.get(actor, name);
  }

  @Query(() => PrincipalConnection, { description: 'The principals you may see.' })
  @Requires('read', 'Principal')
  principals(@CurrentActor() actor: Actor, @Args() args: PrincipalsArgs): Promise<Page<PrincipalRecord>> {
    return this.principalService.list(actor, args);
  }

  @Query(() => [RoleGrantModel], {
    description: 'The grants you may see, optionally for one principal, domain or product.',
  })
  @Requires('read', 'RoleGrant')
  roleGrants(@CurrentActor() actor: Actor, @Args() args: RoleGrantsArgs): Promise<RoleGrantRecord[]> {
    return this.grantService.list(actor, args);
  }

  @Mutation(() => PrincipalModel)
  @Requires('create', 'Principal')
  createPrincipal(
    @CurrentActor() actor: Actor,
    @Args('input') input: CreatePrincipalInput,
  ): Promise<PrincipalRecord> {
    return this.principalService.create(actor, input);
  }

  @Mutation(() => CreatedApiKeyModel, { description: 'Returns the key once; only its hash is stored.' })
  @Requires('create', 'ApiKey')
  createApiKey(
    @CurrentActor() actor: Actor,
    @Args('input') input: CreateApiKeyInput,
  ): Promise<CreatedApiKey> {
    return this.keyService.create(actor, input);
  }

  @Mutation(() => ApiKeyModel, { description: 'Takes effect on the next request.' })
  @Requires('delete', 'ApiKey')
  revokeApiKey(@CurrentActor() actor: Actor, @Args('keyId') keyId: string): Promise<ApiKeyRecord> {
    return this.keyService.revoke(actor, keyId);
  }

  @Mutation(() => RoleGrantModel)
  @Requires('create', 'RoleGrant')
  grantRole(@CurrentActor() actor: Actor, @Args('input') input: GrantRoleInput): Promise<RoleGrantRecord> {
    return this.grantService.grant(actor, input);
  }

  @Mutation(() => RoleGrantModel, {
    description: 'Returns the grant as it was; takes effect on the next request.',
  })
  @Requires('delete', 'RoleGrant')
  revokeRole(@CurrentActor() actor: Actor, @Args('id') id: string): Promise<RoleGrantRecord> {
    return this.grantService.revoke(actor, id);
  }

  @ResolveField(() => [RoleGrantModel])
  grants(@CurrentActor() actor: Actor, @Parent() principal: PrincipalRecord): Promise<RoleGrantRecord[]> {
    return this.principalService.grantsOf(actor, principal);
  }

  @ResolveField(() => [ApiKeyModel])
  apiKeys(@CurrentActor() actor: Actor, @Parent() principal: PrincipalRecord): Promise<ApiKeyRecord[]> {
    return this.principalService.keysOf(actor, principal);
  }
}
