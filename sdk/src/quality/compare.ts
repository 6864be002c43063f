import { canonicalJson } from '../canonical/canonical-json';
import type { CompareCheck, ComparisonOperator } from './rules';
import { parseInstant } from './time';

type Order = number; // negative, zero, positive; NaN when the two values cannot be compared

const ACCEPTS: Readonly<Record<ComparisonOperator, (order: Order) => boolean>> = {
  '<': (order) => order < 0,
  '<=': (order) => order <= 0,
  '==': (order) => order === 0,
  '!=': (order) => order !== 0 && !Number.isNaN(order),
  '>=': (order) => order >= 0,
  '>': (order) => order > 0,
};

function numberOrder(a: unknown, b: unknown): Order {
  return typeof a === 'number' && typeof b === 'number' ? a - b : Number.NaN;
}

function instantOrder(a: unknown, b: unknown): Order {
  return parseInstant(a) - parseInstant(b);
}

function textOrder(a: unknown, b: unknown): Order {
  if (typeof a !== 'string' || typeof b !== 'string') return Number.NaN;
  return a < b ? -1 : a > b ? 1 : 0;
}

function autoOrder(a: unknown, b: unknown): Order {
  if (typeof a === 'number') return numberOrder(a, b);
  if (typeof a === 'string' && typeof b === 'string') {
    const instants = instantOrder(a, b);
    return Number.isNaN(instants) ? textOrder(a, b) : instants;
  }
  return Number.NaN;
}

const ORDER_BY_MODE = { auto: autoOrder, number: numberOrder, timestamp: instantOrder, string: textOrder };

/** `(left, right) => boolean`; values of types the mode cannot compare fail the comparison. */
export function comparator({
  operator,
  as = 'auto',
}: CompareCheck): (left: unknown, right: unknown) => boolean {
  const order = ORDER_BY_MODE[as];
  const accepts = ACCEPTS[operator];
  return (left, right) => accepts(order(left, right));
}

/** A string identity for uniqueness: cheap for scalars, canonical JSON for objects and arrays. */
export function identityOf(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return `s${value}`;
    case 'number':
      return `n${value}`;
    case 'boolean':
      return value ? 'T' : 'F';
    default:
      return value === null ? 'N' : `j${canonicalJson(value)}`;
  }
}
