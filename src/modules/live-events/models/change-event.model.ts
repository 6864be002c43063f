import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { JsonScalar } from '../../../graphql/scalars';

@ObjectType('ChangeEvent', {
  description:
    'A committed change as a CloudEvents 1.0 envelope (the same event webhooks receive); `domain` and `product` are extension attributes.',
})
export class ChangeEventModel {
  @Field(() => ID, { description: 'Unique per event: deduplicate by it.' })
  id: string;

  @Field(() => String)
  specversion: string;

  @Field(() => String, { description: 'e.g. dev.charter.contract.version.published' })
  type: string;

  @Field(() => String, { description: '/domains/<domain>/products/<product>, /domains/<domain> or /' })
  source: string;

  @Field(() => String, { description: 'The changed thing within the source, e.g. versions/3.' })
  subject: string;

  @Field(() => String, { description: 'When the change was made (RFC 3339).' })
  time: string;

  @Field(() => String)
  datacontenttype: string;

  @Field(() => String, { nullable: true, description: 'Domain name; absent for global events.' })
  domain?: string;

  @Field(() => String, {
    nullable: true,
    description: 'Product name within the domain; absent above product level.',
  })
  product?: string;

  @Field(() => JsonScalar, {
    description: 'Ids, versions, fingerprints and summaries; never payload values.',
  })
  data: Record<string, unknown>;
}

@InputType()
export class ChangeEventFilterInput {
  @Field(() => String, { nullable: true, description: 'Only events of this domain.' })
  domain?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Only events of this product: `domain.product`, or the product name alone.',
  })
  product?: string | null;

  @Field(() => [String], { nullable: true, description: 'Only these event types (at most 20).' })
  types?: string[] | null;
}
