import { CLASSIFICATIONS, type Classification, type FieldDecision, type Treatment } from './policy-types';

/**
 * A total order of protection, for choosing among several matching tag rules and for spotting
 * weakened policies. One-way operators rank above reversible ones; `keep` and clear rank lowest.
 */
const OPERATOR_STRENGTH: Readonly<Record<Treatment['operator'], number>> = {
  redact: 9,
  nullify: 8,
  replace: 7,
  pseudonymize: 6,
  encrypt: 5,
  fpe: 4,
  generalize: 3,
  mask: 2,
  keep: 1,
};

export function decisionStrength(decision: FieldDecision): number {
  return decision === 'clear' ? 0 : OPERATOR_STRENGTH[decision.operator];
}

export function classificationRank(classification: Classification | undefined): number {
  return classification === undefined ? -1 : CLASSIFICATIONS.indexOf(classification);
}

const GENERALIZE_ORDER = { month: 0, year: 1 } as const;

/** True when `after` reveals more than `before` under the same operator (e.g. a mask showing more). */
export function revealsMoreWithinOperator(before: Treatment, after: Treatment): boolean {
  if (before.operator === 'mask' && after.operator === 'mask')
    return (
      (after.keepFirst ?? 0) + (after.keepLast ?? 0) > (before.keepFirst ?? 0) + (before.keepLast ?? 0) ||
      (after.maxRevealRatio ?? 0.5) > (before.maxRevealRatio ?? 0.5)
    );
  if (before.operator === 'generalize' && after.operator === 'generalize')
    return finerGeneralization(before, after);
  if (before.operator === 'pseudonymize' && after.operator === 'pseudonymize')
    return before.context === undefined && after.context !== undefined;
  return false;
}

function finerGeneralization(
  before: Extract<Treatment, { operator: 'generalize' }>,
  after: Extract<Treatment, { operator: 'generalize' }>,
): boolean {
  if (before.granularity === 'band' && after.granularity === 'band') return after.width < before.width;
  if (before.granularity === 'prefix' && after.granularity === 'prefix') return after.length > before.length;
  if (
    (before.granularity === 'year' || before.granularity === 'month') &&
    (after.granularity === 'year' || after.granularity === 'month')
  )
    return GENERALIZE_ORDER[after.granularity] < GENERALIZE_ORDER[before.granularity];
  return false;
}
