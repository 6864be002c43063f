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

  async notifyInTransaction(manager: EntityManager, productId: string): Promise<void> {
    // Local readers stop trusting the product now; everyone (this instance too) again after commit.
    this.cache.invalidate(productId);
    await manager.query('SELECT pg_notify($1, $2)', [CONTRACT_CHANNEL, productId]);
  }
}
