import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
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
  compatibilitySettings(
    @Args('scope', { type: () => SettingsScopeInput, nullable: true }) scope: SettingsScopeInput | null,
  ): Promise<ResolvedSettings> {
    return this.settings.resolve(scope ?? {});
  }

  @Mutation(() => CompatibilitySettingsModel)
  setCompatibilitySettings(@Args('input') input: SetCompatibilitySettingsInput): Promise<ResolvedSettings> {
    return this.settings.set(input, input.mode ?? null, input.policy ?? null);
  }

  @Mutation(() => CompatibilitySettingsModel, {
    description: 'Drops this level’s own settings so it inherits again.',
  })
  clearCompatibilitySettings(
    @Args('scope', { type: () => SettingsScopeInput }) scope: SettingsScopeInput,
  ): Promise<ResolvedSettings> {
    return this.settings.clear(scope);
  }
}
