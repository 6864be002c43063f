import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { type Actor } from '../../auth/actor';
import { CurrentActor, Requires } from '../../auth/decorators';
import { type ResolvedSettings } from './compatibility-settings';
import { CompatibilitySettingsService } from './compatibility-settings.service';
import { SetCompatibilitySettingsInput, SettingsScopeInput } from './dto/contract.input';
import { CompatibilitySettingsModel } from './models/compatibility.model';

@Resolver(() => CompatibilitySettingsModel)
export class CompatibilitySettingsResolver {
  constructor(private readonly settings: CompatibilitySettingsService) {}

  @Query(() => CompatibilitySettingsModel, {
    description: 'The effective mode and policy at a product, a domain, or globally (no scope).',
  })
  @Requires('read', 'DataProduct')
  compatibilitySettings(
    @CurrentActor() actor: Actor,
    @Args('scope', { type: () => SettingsScopeInput, nullable: true }) scope: SettingsScopeInput | null,
  ): Promise<ResolvedSettings> {
    return this.settings.resolve(actor, scope ?? {});
  }

  @Mutation(() => CompatibilitySettingsModel)
  @Requires('update', 'DataProduct')
  setCompatibilitySettings(
    @CurrentActor() actor: Actor,
    @Args('input') input: SetCompatibilitySettingsInput,
  ): Promise<ResolvedSettings> {
    return this.settings.set(actor, input, input.mode ?? null, input.policy ?? null);
  }

  @Mutation(() => CompatibilitySettingsModel, {
    description: 'Drops this level’s own settings so it inherits again.',
  })
  @Requires('update', 'DataProduct')
  clearCompatibilitySettings(
    @CurrentActor() actor: Actor,

    @Args('scope', { type: () => SettingsScopeInput }) scope: SettingsScopeInput,
  ): Promise<ResolvedSettings> {
    return this.settings.clear(actor, scope);
  }
}
