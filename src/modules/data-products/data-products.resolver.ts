import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { type Actor } from '../../auth/actor';
import { CurrentActor, Requires } from '../../auth/decorators';
import { type Page } from '../../common/pagination';
import { type DataProductRecord } from './data-products.repository';
import { DataProductsService } from './data-products.service';
import { CreateDataProductInput, DataProductsArgs, UpdateDataProductInput } from './dto/data-product.input';
import { DataProductConnection, DataProductModel } from './models/data-product.model';

@Resolver(() => DataProductModel)
export class DataProductsResolver {
  constructor(private readonly products: DataProductsService) {}

  @Query(() => DataProductModel, {
    description: 'A data product by `domain.product`; NOT_FOUND when unknown or not visible.',
  })
  @Requires('read', 'DataProduct')
  dataProduct(@CurrentActor() actor: Actor, @Args('ref') ref: string): Promise<DataProductRecord> {
    return this.products.get(actor, ref);
  }

  @Query(() => DataProductConnection, { description: 'The data products you may see.' })
  @Requires('read', 'DataProduct')
  dataProducts(
    @CurrentActor() actor: Actor,
    @Args() args: DataProductsArgs,
  ): Promise<Page<DataProductRecord>> {
    return this.products.list(actor, args);
  }

  @Mutation(() => DataProductModel)
  @Requires('create', 'DataProduct')
  createDataProduct(
    @CurrentActor() actor: Actor,
    @Args('input') input: CreateDataProductInput,
  ): Promise<DataProductRecord> {
    return this.products.create(actor, input);
  }

  @Mutation(() => DataProductModel)
  @Requires('update', 'DataProduct')
  updateDataProduct(
    @CurrentActor() actor: Actor,
    @Args('input') input: UpdateDataProductInput,
  ): Promise<DataProductRecord> {
    return this.products.update(actor, input);
  }

  @ResolveField(() => String)
  fullName(@Parent() product: DataProductRecord): string {
    return `${product.domain}.${product.name}`;
  }
}
