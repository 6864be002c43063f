import { Injectable } from '@nestjs/common';
import { parseProductRef } from '@charter/sdk';
import { ensureVisible } from '../../auth/access';
import { type Actor } from '../../auth/actor';
import { invalidInput, notFound } from '../../common/errors/error-codes';
import { CharterMetrics } from '../../observability/charter-metrics';
import { type DataProductRecord, DataProductsRepository } from '../data-products/data-products.repository';

/** Resolves `domain.product` references for the contract operations. */
const MAX_CACHED_PRODUCTS = 10_000;

@Injectable()
export class ProductLookup {
  /** Products are never renamed or deleted, so a name keeps meaning the same id and domain. */
  private readonly byRef = new Map<string, DataProductRecord>();
  hits = 0;
  misses = 0;

  constructor(
    private readonly products: DataProductsRepository,
    metrics: CharterMetrics,
  ) {
    metrics.watchCache('product', this);
  }

  private async find(domain: string, name: string): Promise<DataProductRecord | null> {
    const ref = `${domain}.${name}`;
    const cached = this.byRef.get(ref);
    if (cached) {
      this.hits += 1;
      return cached;
    }
    this.misses += 1;
    const product = await this.products.findByName(domain, name);
    if (product) {
      if (this.byRef.size >= MAX_CACHED_PRODUCTS) this.byRef.clear();
      this.byRef.set(ref, product);
    }
    return product;
  }

  /** A malformed reference is INVALID_INPUT; an unknown or invisible one is NOT_FOUND. */
  async require(actor: Actor, ref: string): Promise<DataProductRecord> {
    const parsed = parseProductRef(ref);
    if (!parsed) {
      throw invalidInput('the product reference is malformed', [
        { path: 'product', code: 'INVALID_PRODUCT_REF', message: 'use domain.product with lower-case names' },
      ]);
    }
    const product = await this.find(parsed.domain, parsed.product);
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
