import { isValidName, parseProductRef } from '@charter/sdk';
import { type ErrorDetail, invalidInput } from '../../common/errors/error-codes';
import { ALL_CHANGE_EVENT_TYPES } from '../change-events';
import { type ChangeEventFilter } from './change-event-filter';
import { type ChangeEventFilterInput } from './models/change-event.model';

const MAX_TYPES = 20;
const KNOWN_TYPES: ReadonlySet<string> = new Set(ALL_CHANGE_EVENT_TYPES);

/** Checks a subscription filter up front: a typo would otherwise be a subscription that never fires. */
export function parseChangeEventFilter(input: ChangeEventFilterInput | null | undefined): ChangeEventFilter {
  const details: ErrorDetail[] = [];
  const domain = input?.domain ?? null;
  const product = input?.product ?? null;
  const types = input?.types ?? null;
  if (domain !== null && !isValidName(domain))
    details.push({ path: 'filter.domain', code: 'INVALID_NAME', message: 'not a valid domain name' });
  if (product !== null && !(product.includes('.') ? parseProductRef(product) !== null : isValidName(product)))
    details.push({ path: 'filter.product', code: 'INVALID_NAME', message: 'not a valid product name' });
  if (product !== null && domain !== null && product.includes('.') && !product.startsWith(`${domain}.`))
    details.push({
      path: 'filter.product',
      code: 'CONFLICT',
      message: 'the product is not in the filtered domain',
    });
  if (types !== null && types.length > MAX_TYPES)
    details.push({ path: 'filter.types', code: 'TOO_MANY', message: `at most ${MAX_TYPES} types` });
  else
    types?.forEach((type, index) => {
      if (!KNOWN_TYPES.has(type))
        details.push({
          path: `filter.types.${index}`,
          code: 'UNKNOWN_TYPE',
          message: 'not an event type Charter emits',
        });
    });
  if (details.length > 0) throw invalidInput('invalid change event filter', details);
  return { domain, product, types: types === null ? null : new Set(types) };
}
