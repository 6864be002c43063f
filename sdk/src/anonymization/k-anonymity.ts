import { canonicalJson } from '../canonical/canonical-json';
import { type Anonymizer } from './compile-anonymizer';
import { AnonymizationError } from './errors';
import { ITEMS } from './field-path';
import { type FieldPlan } from './policy-types';

/** A field is a quasi-identifier when one of its tags is in this namespace: `qi:postcode`, `qi:age`. */
export const QUASI_IDENTIFIER_NAMESPACE = 'qi:';
/** Smallest group an export may contain unless the caller asks for more. */
export const DEFAULT_K = 5;
export const MAX_K = 1000;

export interface KAnonymityReport {
  /** Path templates of the quasi-identifier fields the groups were formed on. */
  readonly quasiIdentifiers: readonly string[];
  readonly groups: number;
  /** Size of the smallest group; 0 for an empty dataset. */
  readonly smallestGroup: number;
  readonly k: number;
}

/** A dataset an export refused: sizes only, never a value. */
export class KAnonymityError extends AnonymizationError {
  constructor(readonly report: KAnonymityReport) {
    super(
      'K_ANONYMITY_NOT_MET',
      `the smallest quasi-identifier group has ${report.smallestGroup} records; k is ${report.k}`,
    );
    this.name = 'KAnonymityError';
  }
}

/** Leaves (and whole containers) the plan tags as quasi-identifiers, own or inherited tags. */
export function quasiIdentifierPaths(plan: FieldPlan): string[] {
  return plan.fields
    .filter((field) => (field.kind === 'leaf' || field.whole) && field.tags.some(isQuasiIdentifierTag))
    .map((field) => field.path)
    .sort();
}

const isQuasiIdentifierTag = (tag: string): boolean => tag.startsWith(QUASI_IDENTIFIER_NAMESPACE);

/**
 * Groups released records by their quasi-identifier values (as released: generalized, masked,
 * pseudonymized or absent) and measures the groups. Any record in a group smaller than k could be
 * singled out by combining those fields (WP29 singling out), so the export refuses the dataset.
 */
export function kAnonymityReport(
  records: readonly Record<string, unknown>[],
  quasiIdentifiers: readonly string[],
  k: number,
): KAnonymityReport {
  const accessors = quasiIdentifiers.map(compileAccessor);
  const sizes = new Map<string, number>();
  for (const record of records) {
    const key = canonicalJson(accessors.map((read) => read(record)));
    sizes.set(key, (sizes.get(key) ?? 0) + 1);
  }
  let smallestGroup = sizes.size === 0 ? 0 : Number.MAX_SAFE_INTEGER;
  for (const size of sizes.values()) smallestGroup = Math.min(smallestGroup, size);
  return { quasiIdentifiers, groups: sizes.size, smallestGroup, k };
}

/** Throws KAnonymityError when a group of released records is smaller than k (an empty dataset passes). */
export function assertKAnonymous(
  records: readonly Record<string, unknown>[],
  quasiIdentifiers: readonly string[],
  k: number = DEFAULT_K,
): KAnonymityReport {
  if (!Number.isInteger(k) || k < 1 || k > MAX_K)
    throw new AnonymizationError('OPERATOR_INPUT_INVALID', `k must be an integer in 1..${MAX_K}`);
  const report = kAnonymityReport(records, quasiIdentifiers, k);
  if (records.length > 0 && report.smallestGroup < k) throw new KAnonymityError(report);
  return report;
}

/**
 * The batch anonymizer of exports (service and SDK alike): applies the plan to every record, then
 * releases the whole dataset only if its quasi-identifier groups hold at least k records each.
 */
export function anonymizeForExport(
  anonymize: Anonymizer,
  plan: FieldPlan,
  records: readonly unknown[],
  k: number = DEFAULT_K,
): { records: Record<string, unknown>[]; report: KAnonymityReport } {
  const released = records.map((record) => anonymize(record));
  return { records: released, report: assertKAnonymous(released, quasiIdentifierPaths(plan), k) };
}

/** Every value at a path template (`*` for array items) in document order; absent members give none. */
function compileAccessor(path: string): (record: unknown) => unknown[] {
  const segments = path
    .slice(1)
    .split('/')
    .map((segment) => (segment === ITEMS ? ITEMS : segment.replace(/~1/g, '/').replace(/~0/g, '~')));
  return (record) => {
    let current: unknown[] = [record];
    for (const segment of segments) {
      const next: unknown[] = [];
      for (const value of current) {
        if (segment === ITEMS) {
          if (Array.isArray(value)) next.push(...(value as unknown[]));
        } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
          if (Object.prototype.hasOwnProperty.call(value, segment))
            next.push((value as Record<string, unknown>)[segment]);
        }
      }
      current = next;
    }
    return current;
  };
}
