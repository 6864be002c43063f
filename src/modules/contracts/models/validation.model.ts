import { Field, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('ValidationIssue', { description: 'Why a payload fails; never contains payload values.' })
export class ValidationIssueModel {
  @Field(() => String, { description: 'JSON Pointer into the payload.' })
  path: string;

  @Field(() => String)
  code: string;

  @Field(() => String, { nullable: true, description: 'The quality rule that failed, if one did.' })
  rule?: string;

  @Field(() => String)
  message: string;

  @Field(() => String, { description: 'error or warning' })
  severity: string;
}

@ObjectType('PayloadValidation')
export class PayloadValidationModel {
  @Field(() => Boolean)
  ok: boolean;

  @Field(() => [ValidationIssueModel], { description: 'Errors, and warnings that do not fail the payload.' })
  issues: ValidationIssueModel[];
}

@ObjectType('PayloadValidationBatch')
export class PayloadValidationBatchModel {
  @Field(() => Boolean)
  ok: boolean;

  @Field(() => Int)
  valid: number;

  @Field(() => Int)
  invalid: number;

  @Field(() => Int, { description: 'The contract version the payloads were judged by.' })
  version: number;

  @Field(() => [PayloadValidationModel], { description: 'One result per payload, in order.' })
  results: PayloadValidationModel[];
}
