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
  /**
   * Per ability, the products whose contracts it was allowed to read. An ability is built once
   * from its bindings and never updated, and the rules test only a product's id and domain, which
   * never change: the same question always gets the same answer. Only passes are kept, so a
   * refusal is always decided (and audited) afresh. A new ability (bindings changed) starts empty.
   */
  private readonly contractReaders = new WeakMap<Actor['ability'], Set<string>>();
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

  /** require(), then the caller must also be allowed to read the product's contracts (else NOT_FOUND). */
  async requireContractReader(actor: Actor, ref: string): Promise<DataProductRecord> {
    const product = await this.require(actor, ref);
    ensureVisible(actor, 'Contract', contractSubject(product), `data product ${ref}`);
    let readable = this.contractReaders.get(actor.ability);
    if (!readable || readable.size >= MAX_CACHED_PRODUCTS) {
      readable = new Set();
      this.contractReaders.set(actor.ability, readable);
    }
    readable.add(product.id);
    return product;
  }

  /**
   * requireContractReader()'s answer without a promise, when the product is cached and this
   * ability already passed both checks on it (a cached ref is a well-formed one); undefined
   * otherwise, and the caller asks requireContractReader(), which decides and throws as usual.
   */
  knownContractReader(actor: Actor, ref: string): DataProductRecord | undefined {
    const product = this.byRef.get(ref);
    if (product === undefined || this.contractReaders.get(actor.ability)?.has(product.id) !== true)
      return undefined;
    this.hits += 1;
    return product;
  }
}

/** The fields contract rules are conditioned on. */
export const contractSubject = (product: DataProductRecord): { productId: string; domainId: string } => ({
  productId: product.id,
  domainId: product.domainId,
});
