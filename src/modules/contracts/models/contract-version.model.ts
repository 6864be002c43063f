import { type CompatibilityMode, type CompatibilityPolicy } from '@charter/sdk';
import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { JsonScalar } from '../../../graphql/scalars';
import { CompatibilityModeEnum, CompatibilityPolicyEnum } from './compatibility.model';

export const ContractVersionStateEnum = { active: 'active', deprecated: 'deprecated' } as const;
registerEnumType(ContractVersionStateEnum, { name: 'ContractVersionState' });

@ObjectType('ContractVersion', { description: 'One immutable version of a data product’s contract.' })
export class ContractVersionModel {
  @Field(() => Int, { description: 'Global id: the same for identical content in any product.' })
  id: number;

  @Field(() => String, { description: 'domain.product' })
  product: string;

  @Field(() => Int, { description: '1, 2, 3... per product, never reused.' })
  version: number;

  @Field(() => String, { description: 'SHA-256 of the RFC 8785 canonical document.' })
  contentHash: string;

  @Field(() => JsonScalar, { description: 'The contract document.' })
  document: unknown;

  @Field(() => String, { description: 'The text as submitted.' })
  text: string;

  @Field(() => ContractVersionStateEnum)
  state: 'active' | 'deprecated';

  @Field(() => String, { nullable: true })
  deprecationReason: string | null;

  @Field(() => Boolean, {
    description: 'Soft-deleted: still resolvable by id, excluded from checks and latest.',
  })
  deleted: boolean;

  @Field(() => CompatibilityModeEnum, { description: 'The mode this version was checked under.' })
  compatibilityMode: CompatibilityMode;

  @Field(() => CompatibilityPolicyEnum)
  compatibilityPolicy: CompatibilityPolicy;

  @Field(() => Date)
  createdAt: Date;
}
