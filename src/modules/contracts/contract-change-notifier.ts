import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { CONTRACT_CHANNEL } from './contract-channel';
import { ContractReadCache } from './contract-read-cache';

/**
 * Tells every instance that a product's versions changed. The NOTIFY is sent inside the writing
 * transaction, so PostgreSQL delivers it only if and when that transaction commits.
 */
@Injectable()
export class ContractChangeNotifier {
  constructor(private readonly cache: ContractReadCache) {}

  /**
   * For a write that touches the product row and sends the NOTIFY in a statement of its own
   * (publish, ContractPublishRepository): local readers stop trusting the product now.
   */
  forgetLocally(productId: string): void {
    this.cache.invalidate(productId);
  }

  async notifyInTransaction(manager: EntityManager, productId: string): Promise<void> {
    // Local readers stop trusting the product now; everyone (this instance too) again after commit.
    this.cache.invalidate(productId);
    // Touching the product row changes its stamp (xmin): other instances' cached reads stop
    // matching at commit, before this NOTIFY reaches them (ProductStamps).
    await manager.query(
      `WITH touched AS (UPDATE data_products SET latest_version = latest_version WHERE id = $2 RETURNING id)
       SELECT pg_notify($1, $3) FROM touched`,
      [CONTRACT_CHANNEL, productId, productId],
    );
  }
}
