import { Field, InputType, Int, ArgsType } from '@nestjs/graphql';

@InputType()
export class ContactInput {
  @Field(() => String)
  name: string;

  @Field(() => String, { nullable: true })
  email?: string | null;

  @Field(() => String, { nullable: true })
  channel?: string | null;
}

@InputType()
export class CreateDomainInput {
  @Field(() => String, { description: 'Lower-case letters, digits and dashes; 2-63 characters.' })
  name: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => String)
  owningTeam: string;

  @Field(() => [ContactInput], { nullable: true })
  contacts?: ContactInput[] | null;
}

@InputType()
export class UpdateDomainInput {
  @Field(() => String)
  name: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => String, { nullable: true })
  owningTeam?: string | null;

  @Field(() => [ContactInput], { nullable: true })
  contacts?: ContactInput[] | null;
}

@ArgsType()
export class DomainsArgs {
  @Field(() => Int, { nullable: true, description: 'Page size, 1-100 (default 20).' })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;

  @Field(() => String, { nullable: true, description: 'Case-insensitive match on name or description.' })
  text?: string | null;
}
