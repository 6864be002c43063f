import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createDataKey, type KeyProvider, type WrappedDataKey } from '@charter/sdk';
import { DataSource, type EntityManager } from 'typeorm';
import { DataKeysRepository } from './data-keys.repository';
import { KEY_PROVIDER } from './master-keys';

export interface ProductKeyRef {
  /** The data_products id the rows belong to. */
  productId: string;
  /** `domain.product`: what keys and ciphertexts are bound to. */
  product: string;
}

/** A product's data keys: created on first use, rotated by adding a version, never rewritten. */
@Injectable()
export class DataKeysService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(KEY_PROVIDER) private readonly keys: KeyProvider,
    private readonly repository: DataKeysRepository,
  ) {}

  /** Every version, creating version 1 if the product has none yet. */
  async ensure(ref: ProductKeyRef): Promise<WrappedDataKey[]> {
    const existing = await this.repository.list(ref.productId, ref.product);
    if (existing.length > 0) return existing;
    const created = await createDataKey(this.keys, ref.product, 1);
    return this.dataSource.transaction(async (manager) => {
      // A concurrent first use may win; then its key is the one everybody uses.
      await this.repository.insert(ref.productId, created, manager);
      return this.repository.list(ref.productId, ref.product, manager);
    });
  }

  /** Versions as stored, without creating any (reveal only opens what exists). */
  list(ref: ProductKeyRef): Promise<WrappedDataKey[]> {
    return this.repository.list(ref.productId, ref.product);
  }

  /** Adds the next version under the product's lock; `onRotated` runs in the same transaction. */
  rotate(
    ref: ProductKeyRef,
    onRotated: (version: number, manager: EntityManager) => Promise<void>,
  ): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      await this.repository.lockProduct(ref.productId, manager);
      const versions = await this.repository.list(ref.productId, ref.product, manager);
      const next = Math.max(0, ...versions.map((key) => key.dataKeyVersion)) + 1;
      await this.repository.insert(ref.productId, await createDataKey(this.keys, ref.product, next), manager);
      await onRotated(next, manager);
      return next;
    });
  }
}
