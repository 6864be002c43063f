import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type WrappedDataKey } from '@charter/sdk';
import { DataSource, type EntityManager } from 'typeorm';

interface DataKeyRow {
  data_key_version: number;
  master_key_version: number;
  wrapped: string;
}

/** Wrapped data keys per product and version; the plain keys never reach the database. */
@Injectable()
export class DataKeysRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Every version of the product's key, oldest first; `product` is the ref the AAD binds. */
  async list(productId: string, product: string, manager?: EntityManager): Promise<WrappedDataKey[]> {
    const rows = await (manager ?? this.dataSource.manager).query<DataKeyRow[]>(
      `SELECT data_key_version, master_key_version, wrapped FROM governance_data_keys
       WHERE product_id = $1 ORDER BY data_key_version`,
      [productId],
    );
    return rows.map((row) => ({
      product,
      dataKeyVersion: row.data_key_version,
      masterKeyVersion: row.master_key_version,
      wrapped: row.wrapped,
    }));
  }

  /** Adds one version; false when a concurrent caller already added that version. */
  async insert(productId: string, key: WrappedDataKey, manager: EntityManager): Promise<boolean> {
    const inserted = await manager.query<unknown[]>(
      `INSERT INTO governance_data_keys (product_id, data_key_version, master_key_version, wrapped)
       VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING data_key_version`,
      [productId, key.dataKeyVersion, key.masterKeyVersion, key.wrapped],
    );
    return inserted.length > 0;
  }

  /** Serializes rotations of one product inside the caller's transaction. */
  async lockProduct(productId: string, manager: EntityManager): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('governance_data_keys'), hashtext($1))`, [
      productId,
    ]);
  }
}
