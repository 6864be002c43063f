import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { PageInfo } from '../../../common/pagination';

export enum ProductStatusEnum {
  draft = 'draft',
  active = 'active',
  deprecated = 'deprecated',
  retired = 'retired',
}
registerEnumType(ProductStatusEnum, { name: 'ProductStatus', description: 'Lifecycle of a data product.' });

@ObjectType('DataProduct', {
  description: 'A data product published by a domain, addressed as domain.product.',
})
export class DataProductModel {
  @Field(() => ID)
  id: string;

  @Field(() => String, { description: 'The owning domain’s name.' })
  domain: string;

  @Field(() => String)
  name: string;

  @Field(() => String, { description: 'domain.product' })
  fullName: string;

  @Field(() => String)
  description: string;

  @Field(() => String)
  owningTeam: string;

  @Field(() => [String])
  tags: string[];

  @Field(() => ProductStatusEnum)
  status: ProductStatusEnum;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date)
  updatedAt: Date;
}

@ObjectType('DataProductConnection')
export class DataProductConnection {
  @Field(() => [DataProductModel])
  nodes: DataProductModel[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;
}
