import { Injectable } from '@nestjs/common';
import { parseProductRef } from '@charter/sdk';
import { ensureVisible } from '../../auth/access';
import { type Actor } from '../../auth/actor';
import { invalidInput, notFound } from '../../common/errors/error-codes';
import { type DataProductRecord, DataProductsRepository } from '../data-products/data-products.repository';

/** Resolves `domain.product` references for the contract operations. */
@Injectable()
export class ProductLookup {
  constructor(private readonly products: DataProductsRepository) {}

  /** A malformed reference is INVALID_INPUT; an unknown or invisible one is NOT_FOUND. */
  async require(actor: Actor, ref: string): Promise<DataProductRecord> {
    const parsed = parseProductRef(ref);
    if (!parsed) {
      throw invalidInput('the product reference is malformed', [
        { path: 'product', code: 'INVALID_PRODUCT_REF', message: 'use domain.product with lower-case names' },
      ]);
    }
    const product = await this.products.findByName(parsed.domain, parsed.product);
    if (!product) throw notFound(`data product ${ref}`);
    ensureVisible(
      actor,
      'DataProduct',
      { id: product.id, domainId: product.domainId },
      `data product ${ref}`,
    );
    return product;
  }
}

/** The fields contract rules are conditioned on. */
export const contractSubject = (product: DataProductRecord): { productId: string; domainId: string } => ({
  productId: product.id,
  domainId: product.domainId,
});
