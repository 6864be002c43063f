import { ArgsType, Field, InputType, Int } from '@nestjs/graphql';
import { PrincipalKindEnum, RoleEnum } from '../models/principal.model';

@InputType()
export class CreatePrincipalInput {
  @Field(() => String, { description: 'Lower-case letters, digits and dashes; 2-63 characters.' })
  name: string;

  @Field(() => PrincipalKindEnum)
  kind: PrincipalKindEnum;

  @Field(() => String, { nullable: true })
  displayName?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The `sub` claim of this principal’s JWTs (from the configured issuer).',
  })
  jwtSubject?: string | null;
}

@ArgsType()
export class PrincipalsArgs {
  @Field(() => Int, { nullable: true, description: 'Page size, 1-100 (default 20).' })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;
}

@InputType()
export class CreateApiKeyInput {
  @Field(() => String, { description: 'The principal’s name.' })
  principal: string;

  @Field(() => String, { nullable: true })
  label?: string | null;

  @Field(() => Date, { nullable: true, description: 'Unset: the key does not expire.' })
  expiresAt?: Date | null;
}

@InputType()
export class GrantRoleInput {
  @Field(() => String, { description: 'The principal’s name.' })
  principal: string;

  @Field(() => RoleEnum)
  role: RoleEnum;

  @Field(() => String, { nullable: true, description: 'Bind the role to this domain.' })
  domain?: string | null;

  @Field(() => String, { nullable: true, description: 'Bind the role to this product (`domain.product`).' })
  product?: string | null;

  @Field(() => [String], {
    nullable: true,
    description: 'Consumer grants only: field path globs readable in clear (`/customer/email`, `/**`).',
  })
  clearFields?: string[] | null;
}

@ArgsType()
export class RoleGrantsArgs {
  @Field(() => String, { nullable: true })
  principal?: string | null;

  @Field(() => String, { nullable: true })
  domain?: string | null;

  @Field(() => String, { nullable: true, description: 'domain.product' })
  product?: string | null;
}
