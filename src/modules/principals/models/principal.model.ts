import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { PageInfo } from '../../../common/pagination';

export enum PrincipalKindEnum {
  person = 'person',
  service = 'service',
}
registerEnumType(PrincipalKindEnum, { name: 'PrincipalKind' });

export enum RoleEnum {
  admin = 'admin',
  owner = 'owner',
  producer = 'producer',
  consumer = 'consumer',
  governance = 'governance',
  ci = 'ci',
}
registerEnumType(RoleEnum, { name: 'Role', description: 'See the role × operation table in the README.' });

@ObjectType('RoleGrant', {
  description: 'A role bound to a principal, platform-wide or on a domain or product.',
})
export class RoleGrantModel {
  @Field(() => ID)
  id: string;

  @Field(() => String, { description: 'The principal’s name.' })
  principal: string;

  @Field(() => RoleEnum)
  role: RoleEnum;

  @Field(() => String, {
    nullable: true,
    description: 'The domain the grant covers (a product’s domain for product grants).',
  })
  domain: string | null;

  @Field(() => String, { nullable: true, description: 'domain.product, for product grants.' })
  product: string | null;

  @Field(() => [String])
  clearFields: string[];

  @Field(() => Date)
  createdAt: Date;
}

@ObjectType('ApiKey', { description: 'An API key’s metadata; the key itself is shown once, at creation.' })
export class ApiKeyModel {
  @Field(() => String, { description: 'The public id inside the key: chk_<environment>_<keyId>_<secret>.' })
  keyId: string;

  @Field(() => String)
  principal: string;

  @Field(() => String)
  environment: string;

  @Field(() => String)
  label: string;

  @Field(() => Date, { nullable: true })
  expiresAt: Date | null;

  @Field(() => Date, { nullable: true })
  revokedAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'Updated at most once a minute.' })
  lastUsedAt: Date | null;

  @Field(() => Date)
  createdAt: Date;
}

@ObjectType('CreatedApiKey')
export class CreatedApiKeyModel {
  @Field(() => ApiKeyModel)
  apiKey: ApiKeyModel;

  @Field(() => String, { description: 'The key. It is not stored and cannot be shown again.' })
  secret: string;
}

@ObjectType('Principal', { description: 'A person or a service that calls Charter.' })
export class PrincipalModel {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  name: string;

  @Field(() => PrincipalKindEnum)
  kind: PrincipalKindEnum;

  @Field(() => String)
  displayName: string;

  @Field(() => String, { nullable: true })
  jwtSubject: string | null;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => [RoleGrantModel], { description: 'The grants you may see.' })
  grants: RoleGrantModel[];

  @Field(() => [ApiKeyModel], {
    description: 'The keys you may see (yours, or all for admins and governance).',
  })
  apiKeys: ApiKeyModel[];
}

@ObjectType('PrincipalConnection')
export class PrincipalConnection {
  @Field(() => [PrincipalModel])
  nodes: PrincipalModel[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;
}
