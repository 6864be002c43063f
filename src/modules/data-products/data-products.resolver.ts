import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { type Page } from '../../common/pagination';
import { type DataProductRecord } from './data-products.repository';
import { DataProductsService } from './data-products.service';
import { CreateDataProductInput, DataProductsArgs, UpdateDataProductInput } from './dto/data-product.input';
import { DataProductConnection, DataProductModel } from './models/data-product.model';

@Resolver(() => DataProductModel)
export class DataProductsResolver {
  constructor(private readonly products: DataProductsService) {}

  @Query(() => DataProductModel, {
    description: 'A data product by `domain.product`; NOT_FOUND when unknown.',
  })
  dataProduct(@Args('ref') ref: string): Promise<DataProductRecord> {
    return this.products.get(ref);
  }

  @Query(() => DataProductConnection)
  dataProducts(@Args() args: DataProductsArgs): Promise<Page<DataProductRecord>> {
    return this.products.list(args);
  }

  @Mutation(() => DataProductModel)
  createDataProduct(@Args('input') input: CreateDataProductInput): Promise<DataProductRecord> {
    return this.products.create(input);
  }

  @Mutation(() => DataProductModel)
  updateDataProduct(@Args('input') input: UpdateDataProductInput): Promise<DataProductRecord> {
    return this.products.update(input);
  }

  @ResolveField(() => String)
  fullName(@Parent() product: DataProductRecord): string {
    return `${product.domain}.${product.name}`;
  }
}
