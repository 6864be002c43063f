import {
  COMPATIBILITY_MODES,
  COMPATIBILITY_POLICIES,
  type CompatibilityMode,
  type CompatibilityPolicy,
} from '@charter/sdk';
import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { type SettingsLevel } from '../compatibility-settings';

/** GraphQL enums built from the kernel's own lists, so the API and the engine cannot drift. */
export const CompatibilityModeEnum = Object.fromEntries(COMPATIBILITY_MODES.map((mode) => [mode, mode])) as {
  [M in CompatibilityMode]: M;
};
registerEnumType(CompatibilityModeEnum, { name: 'CompatibilityMode' });

export const CompatibilityPolicyEnum = Object.fromEntries(
  COMPATIBILITY_POLICIES.map((policy) => [policy, policy]),
) as {
  [P in CompatibilityPolicy]: P;
};
registerEnumType(CompatibilityPolicyEnum, {
  name: 'CompatibilityPolicy',
  description: 'STRICT: Confluent JSON Schema rules; LENIENT: Confluent lenient; SEMANTIC: set inclusion.',
});

export const SettingsLevelEnum = {
  product: 'product',
  domain: 'domain',
  global: 'global',
  default: 'default',
} as const;
registerEnumType(SettingsLevelEnum, {
  name: 'SettingsLevel',
  description: 'Where a resolved setting came from.',
});

@ObjectType('CompatibilityChange', { description: 'One change between versions, explained.' })
export class CompatibilityChangeModel {
  @Field(() => String, { description: 'schema, quality or governance' })
  category: string;

  @Field(() => String, { description: 'Stable change code, e.g. TYPE_NARROWED.' })
  type: string;

  @Field(() => Boolean, { description: 'Breaks the mode it was checked under.' })
  breaking: boolean;

  @Field(() => [String], { description: 'Directions it breaks: backward, forward.' })
  breaks: string[];

  @Field(() => String, { description: 'JSON Pointer into the schema.' })
  schemaPath: string;

  @Field(() => String, { description: 'Instance path it affects, e.g. /customer/email.' })
  instancePath: string;

  @Field(() => String)
  message: string;

  @Field(() => String, { nullable: true })
  fix?: string;

  @Field(() => Int, { nullable: true, description: 'Version number the change was found against.' })
  againstVersion?: number;
}

@ObjectType('CompatibilitySettings')
export class CompatibilitySettingsModel {
  @Field(() => CompatibilityModeEnum)
  mode: CompatibilityMode;

  @Field(() => CompatibilityPolicyEnum)
  policy: CompatibilityPolicy;

  @Field(() => SettingsLevelEnum)
  modeFrom: SettingsLevel;

  @Field(() => SettingsLevelEnum)
  policyFrom: SettingsLevel;
}

@ObjectType('ContractDiff')
export class ContractDiffModel {
  @Field(() => CompatibilityModeEnum)
  mode: CompatibilityMode;

  @Field(() => CompatibilityPolicyEnum)
  policy: CompatibilityPolicy;

  @Field(() => Boolean, { description: 'Whether `to` could follow `from` under the mode.' })
  compatible: boolean;

  @Field(() => [CompatibilityChangeModel])
  changes: CompatibilityChangeModel[];
}
