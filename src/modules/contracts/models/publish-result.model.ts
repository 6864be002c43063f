import { type CompatibilityMode, type CompatibilityPolicy } from '@charter/sdk';
import { createUnionType, Field, ObjectType } from '@nestjs/graphql';
import {
  CompatibilityChangeModel,
  CompatibilityModeEnum,
  CompatibilityPolicyEnum,
} from './compatibility.model';
import { ContractVersionModel } from './contract-version.model';

@ObjectType('ContractIssue', { description: 'Why a submitted contract is not a valid one.' })
export class ContractIssueModel {
  @Field(() => String, { description: 'JSON Pointer into the submitted document.' })
  path: string;

  @Field(() => String)
  code: string;

  @Field(() => String)
  message: string;
}

@ObjectType('ContractVersionPublished')
export class ContractVersionPublished {
  @Field(() => ContractVersionModel)
  contractVersion: ContractVersionModel;

  @Field(() => Boolean, { description: 'False when identical content was already the product’s version.' })
  created: boolean;

  @Field(() => [CompatibilityChangeModel], { description: 'Non-breaking and governance changes found.' })
  changes: CompatibilityChangeModel[];

  @Field(() => Boolean)
  needsApproval: boolean;
}

@ObjectType('CompatibleContract', { description: 'A dry run found the contract would be accepted.' })
export class CompatibleContract {
  @Field(() => CompatibilityModeEnum)
  mode: CompatibilityMode;

  @Field(() => CompatibilityPolicyEnum)
  policy: CompatibilityPolicy;

  @Field(() => [CompatibilityChangeModel])
  changes: CompatibilityChangeModel[];

  @Field(() => Boolean)
  needsApproval: boolean;

  @Field(() => ContractVersionModel, {
    nullable: true,
    description: 'Set when identical content is already published.',
  })
  existingVersion: ContractVersionModel | null;
}

@ObjectType('IncompatibleContract', {
  description: 'The contract breaks earlier versions under the product’s mode.',
})
export class IncompatibleContract {
  @Field(() => CompatibilityModeEnum)
  mode: CompatibilityMode;

  @Field(() => CompatibilityPolicyEnum)
  policy: CompatibilityPolicy;

  @Field(() => String, { description: 'incompatible, or undecided when compatibility could not be shown.' })
  verdict: string;

  @Field(() => String, { nullable: true, description: 'Why the verdict is undecided.' })
  reason: string | null;

  @Field(() => [CompatibilityChangeModel])
  changes: CompatibilityChangeModel[];
}

@ObjectType('InvalidContract', { description: 'The submitted text is not a valid contract.' })
export class InvalidContract {
  @Field(() => [ContractIssueModel])
  issues: ContractIssueModel[];
}

export type PublishOutcome = ContractVersionPublished | IncompatibleContract | InvalidContract;
export type CheckOutcome = CompatibleContract | IncompatibleContract | InvalidContract;

const kindOf = (value: object): string => (value as { __typename?: string }).__typename ?? '';

export const PublishContractResult = createUnionType({
  name: 'PublishContractResult',
  types: () => [ContractVersionPublished, IncompatibleContract, InvalidContract] as const,
  resolveType: kindOf,
});

export const CheckContractResult = createUnionType({
  name: 'CheckContractResult',
  types: () => [CompatibleContract, IncompatibleContract, InvalidContract] as const,
  resolveType: kindOf,
});
