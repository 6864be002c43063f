import { ArgsType, Field, InputType, Int } from '@nestjs/graphql';
import { ProductStatusEnum } from '../models/data-product.model';

@InputType()
export class CreateDataProductInput {
  @Field(() => String)
  domain: string;

  @Field(() => String, { description: 'Lower-case letters, digits and dashes; 2-63 characters.' })
  name: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => String)
  owningTeam: string;

  @Field(() => [String], { nullable: true })
  tags?: string[] | null;

  @Field(() => ProductStatusEnum, { nullable: true, defaultValue: ProductStatusEnum.draft })
  status?: ProductStatusEnum | null;
}

@InputType()
export class UpdateDataProductInput {
  @Field(() => String, { description: 'domain.product' })
  product: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => String, { nullable: true })
  owningTeam?: string | null;

  @Field(() => [String], { nullable: true })
  tags?: string[] | null;

  @Field(() => ProductStatusEnum, { nullable: true })
  status?: ProductStatusEnum | null;
}

@InputType()
export class DataProductFilter {
  @Field(() => String, { nullable: true })
  domain?: string | null;

  @Field(() => String, { nullable: true })
  tag?: string | null;

  @Field(() => ProductStatusEnum, { nullable: true })
  status?: ProductStatusEnum | null;

  @Field(() => String, { nullable: true, description: 'Case-insensitive match on name or description.' })
  text?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Products whose latest contract declares a field with this name (e.g. email).',
  })
  fieldName?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Products whose latest contract declares a field with this tag (e.g. pii:email).',
  })
  fieldTag?: string | null;
}

@ArgsType()
export class DataProductsArgs {
  @Field(() => Int, { nullable: true, description: 'Page size, 1-100 (default 20).' })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;

  @Field(() => DataProductFilter, { nullable: true })
  filter?: DataProductFilter | null;
}
