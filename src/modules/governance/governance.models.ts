import { ArgsType, Field, Int, ObjectType } from '@nestjs/graphql';
import { JsonScalar } from '../../graphql/scalars';

@ArgsType()
export class ProductVersionArgs {
  @Field(() => String, { description: 'domain.product' })
  product: string;

  @Field(() => String, { description: 'A version number or "latest".', defaultValue: 'latest' })
  version: string;
}

@ObjectType('ReadPayloadsResult', { description: 'Payloads as the caller may see them.' })
export class ReadPayloadsModel {
  @Field(() => String)
  product: string;

  @Field(() => Int)
  version: number;

  @Field(() => [JsonScalar], {
    description: 'In request order; members the schema does not declare are dropped.',
  })
  records: unknown[];

  @Field(() => [String], {
    description: 'Field paths (and grant globs) released in clear; recorded in the audit log.',
  })
  clearFields: string[];
}

@ObjectType('FieldPlanResult', { description: 'The caller’s effective field plan, for the SDK reader.' })
export class FieldPlanModel {
  @Field(() => String)
  product: string;

  @Field(() => Int)
  version: number;

  @Field(() => String)
  contentHash: string;

  @Field(() => JsonScalar, { description: 'The kernel’s FieldPlan (planVersion 1).' })
  plan: unknown;

  @Field(() => JsonScalar, {
    description: 'Wrapped data keys when the plan encrypts (useless without the master keys).',
  })
  dataKeys: unknown;

  @Field(() => [String])
  clearFields: string[];
}

@ObjectType('ExportPayloadsResult', {
  description: 'An export: the payloads as the caller may see them, released as a k-anonymous dataset.',
})
export class ExportPayloadsModel extends ReadPayloadsModel {
  @Field(() => [String], {
    description: 'Path templates of the quasi-identifier fields (tags qi:*) the groups were formed on.',
  })
  quasiIdentifiers: string[];

  @Field(() => Int)
  groups: number;

  @Field(() => Int, {
    description: 'Records in the smallest group of equal released quasi-identifier values.',
  })
  smallestGroup: number;

  @Field(() => Int)
  k: number;
}
