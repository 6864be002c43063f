import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

export const CONTRACT_CHANNEL = 'charter_contract_changes';

/**
 * Tells every instance that a product's versions changed. The NOTIFY is sent inside the writing
 * transaction, so PostgreSQL delivers it only if and when that transaction commits.
 */
@Injectable()
export class ContractChangeNotifier {
  async notifyInTransaction(manager: EntityManager, productId: string): Promise<void> {
    await manager.query('SELECT pg_notify($1, $2)', [CONTRACT_CHANNEL, productId]);
  }
}
