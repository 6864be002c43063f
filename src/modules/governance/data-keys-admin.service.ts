import { Injectable } from '@nestjs/common';
import { ensureAllowed } from '../../auth/access';
import { type Actor } from '../../auth/actor';
import { auditActorOf } from '../audit/audit-entry';
import { AuditLog } from '../audit/audit-log.service';
import { ProductLookup } from '../contracts/product-lookup';
import { DataKeysService } from './data-keys.service';
import { kernelFailure } from './governance-errors';

/** Rotation of a product's data key by whoever manages its policy; audited in the same transaction. */
@Injectable()
export class DataKeysAdmin {
  constructor(
    private readonly products: ProductLookup,
    private readonly dataKeys: DataKeysService,
    private readonly audit: AuditLog,
  ) {}

  async rotate(actor: Actor, productRef: string): Promise<number> {
    const found = await this.products.require(actor, productRef);
    const scope = { productId: found.id, domainId: found.domainId };
    ensureAllowed(actor, 'update', 'Policy', scope);
    const product = `${found.domain}.${found.name}`;
    try {
      return await this.dataKeys.rotate({ productId: found.id, product }, async (version, manager) => {
        await this.audit.append(manager, {
          actor: auditActorOf(actor),
          action: 'data-key.rotate',
          resource: { type: 'DataKey', product, ...scope, version },
          change: { toVersion: version },
        });
      });
    } catch (error) {
      throw kernelFailure(error, 'product');
    }
  }
}
