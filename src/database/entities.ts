import { DataProductEntity } from '../modules/data-products/data-product.entity';
import { DomainEntity } from '../modules/domains/domain.entity';

/** Every TypeORM entity, listed explicitly so the build never depends on file globs. */
export const entities = [DomainEntity, DataProductEntity];
