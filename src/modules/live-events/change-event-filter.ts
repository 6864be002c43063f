import { type Actor } from '../../auth/actor';
import { can } from '../../auth/access';
import { type CloudEvent } from '../change-events';
import { type LiveChangeEvent } from './live-change-event';

/** What a subscriber asked for; null fields match everything. */
export interface ChangeEventFilter {
  domain: string | null;
  /** `domain.product` as elsewhere in the API, or the product's name alone. */
  product: string | null;
  types: ReadonlySet<string> | null;
}

export function matchesFilter(filter: ChangeEventFilter, event: CloudEvent): boolean {
  if (filter.types !== null && !filter.types.has(event.type)) return false;
  if (filter.domain !== null && event.domain !== filter.domain) return false;
  if (filter.product === null) return true;
  if (event.product === undefined) return false;
  return filter.product.includes('.')
    ? `${event.domain ?? ''}.${event.product}` === filter.product
    : event.product === filter.product;
}

/**
 * The same read rules as queries: a product's events go to who may read the product, a domain's
 * to who may read the domain; global settings are readable by every authenticated caller.
 */
export function mayReceive(actor: Actor, live: LiveChangeEvent): boolean {
  if (live.productId !== null)
    return can(actor, 'read', 'DataProduct', { id: live.productId, domainId: live.domainId });
  if (live.domainId !== null) return can(actor, 'read', 'Domain', { id: live.domainId });
  return true;
}
