import { Field, ID, ObjectType } from '@nestjs/graphql';
import { PageInfo } from '../../../common/pagination';

@ObjectType('Contact')
export class ContactModel {
  @Field(() => String)
  name: string;

  @Field(() => String, { nullable: true })
  email?: string;

  @Field(() => String, { nullable: true, description: 'A chat channel or on-call alias.' })
  channel?: string;
}

@ObjectType('Domain', {
  description: 'A business domain that owns data products (payments, logistics, ...).',
})
export class DomainModel {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  name: string;

  @Field(() => String)
  description: string;

  @Field(() => String)
  owningTeam: string;

  @Field(() => [ContactModel])
  contacts: ContactModel[];

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date)
  updatedAt: Date;
}

@ObjectType('DomainConnection')
export class DomainConnection {
  @Field(() => [DomainModel])
  nodes: DomainModel[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;
}
