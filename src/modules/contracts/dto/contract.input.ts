import { type CompatibilityMode, type CompatibilityPolicy } from '@charter/sdk';
import { ArgsType, Field, InputType, Int } from '@nestjs/graphql';
import { CompatibilityModeEnum, CompatibilityPolicyEnum } from '../models/compatibility.model';

@ArgsType()
export class ContractSubmissionArgs {
  @Field(() => String, { description: 'domain.product' })
  product: string;

  @Field(() => String, { description: 'The contract document as JSON text; kept as submitted for display.' })
  contract: string;
}

@ArgsType()
export class ContractVersionArgs {
  @Field(() => String, { description: 'domain.product' })
  product: string;

  @Field(() => String, { description: 'A version number or "latest".', defaultValue: 'latest' })
  version: string;
}

@ArgsType()
export class ContractVersionByIdArgs {
  @Field(() => Int, { description: 'Global id.' })
  id: number;

  @Field(() => String, {
    nullable: true,
    description: 'The product whose version to return; default the first to register it.',
  })
  product?: string | null;
}

@ArgsType()
export class ContractVersionsArgs {
  @Field(() => String)
  product: string;

  @Field(() => Boolean, { defaultValue: false })
  includeDeleted: boolean;
}

@ArgsType()
export class DiffContractVersionsArgs {
  @Field(() => String)
  product: string;

  @Field(() => Int)
  from: number;

  @Field(() => Int)
  to: number;

  @Field(() => CompatibilityModeEnum, { nullable: true, description: 'Default: the product’s mode.' })
  mode?: CompatibilityMode | null;
}

@ArgsType()
export class VersionMutationArgs {
  @Field(() => String)
  product: string;

  @Field(() => Int)
  version: number;
}

@InputType()
export class SettingsScopeInput {
  @Field(() => String, { nullable: true, description: 'domain.product' })
  product?: string | null;

  @Field(() => String, { nullable: true })
  domain?: string | null;
}

@InputType()
export class SetCompatibilitySettingsInput extends SettingsScopeInput {
  @Field(() => CompatibilityModeEnum, { nullable: true })
  mode?: CompatibilityMode | null;

  @Field(() => CompatibilityPolicyEnum, { nullable: true })
  policy?: CompatibilityPolicy | null;
}
