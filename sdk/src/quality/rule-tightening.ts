import { canonicalJson } from '../canonical/canonical-json';
import type { ComparisonOperator, FieldCheck, QualityRule } from './rules';
import { parseDuration, parseInstant } from './time';

/** How a rule's check moved between two versions, with the reason in a few words. */
export interface Movement {
  readonly effect: 'same' | 'tightened' | 'loosened';
  readonly reason: string;
}

const SAME: Movement = { effect: 'same', reason: '' };
const tightened = (reason: string): Movement => ({ effect: 'tightened', reason });
const loosened = (reason: string): Movement => ({ effect: 'loosened', reason });

/** +1 stricter, -1 looser, 0 same; `undefined` is no bound. `higherIsStricter` for lower bounds. */
function boundMove(before: number | undefined, after: number | undefined, higherIsStricter: boolean): number {
  if (before === after) return 0;
  if (after === undefined) return -1;
  if (before === undefined) return 1;
  return after > before === higherIsStricter ? 1 : -1;
}

/** Combines bound moves: any stricter bound makes the whole rule stricter. */
function combine(moves: readonly number[], what: string): Movement {
  if (moves.some((move) => move > 0)) return tightened(`narrows the ${what}`);
  if (moves.some((move) => move < 0)) return loosened(`widens the ${what}`);
  return SAME;
}

/** Like boundMove; at the same value an exclusive bound is stricter than an inclusive one. */
function edgeMove(
  before: number | undefined,
  after: number | undefined,
  higherIsStricter: boolean,
  exclusive: readonly [boolean | undefined, boolean | undefined],
): number {
  const move = boundMove(before, after, higherIsStricter);
  const [was = false, is = false] = exclusive;
  if (move !== 0 || before === undefined || was === is) return move;
  return is ? 1 : -1;
}

const instant = (text: string | undefined) => (text === undefined ? undefined : parseInstant(text));
const duration = (text: string | undefined) => (text === undefined ? undefined : parseDuration(text));

const LOOSER_OPERATOR: Readonly<Partial<Record<ComparisonOperator, readonly ComparisonOperator[]>>> = {
  '>': ['>='],
  '<': ['<='],
  '==': ['>=', '<='],
};

function unique(before: readonly string[] = [], after: readonly string[] = []): Movement {
  const subset = (a: readonly string[], b: readonly string[]) => a.every((key) => b.includes(key));
  if (before.length === 0) return tightened('now compares items by key only');
  if (after.length === 0) return loosened('now compares whole items');
  if (subset(after, before)) return tightened('uses fewer keys, so more items collide');
  if (subset(before, after)) return loosened('uses more keys, so fewer items collide');
  return tightened('changes its keys');
}

/** Compares two checks of the same kind on the same path. */
function sameKind(before: FieldCheck, after: FieldCheck): Movement {
  if (before.kind === 'range' && after.kind === 'range') {
    const low = edgeMove(before.min, after.min, true, [before.exclusiveMin, after.exclusiveMin]);
    const high = edgeMove(before.max, after.max, false, [before.exclusiveMax, after.exclusiveMax]);
    return combine([low, high], 'allowed range');
  }
  if (before.kind === 'length' && after.kind === 'length') {
    return combine(
      [boundMove(before.min, after.min, true), boundMove(before.max, after.max, false)],
      'allowed length',
    );
  }
  if (before.kind === 'allowedValues' && after.kind === 'allowedValues') {
    if (before.values.some((value) => !after.values.includes(value)))
      return tightened('removes allowed values');
    return after.values.length > before.values.length ? loosened('adds allowed values') : SAME;
  }
  if (before.kind === 'timestamp' && after.kind === 'timestamp') {
    return combine(
      [
        boundMove(instant(before.notBefore), instant(after.notBefore), true),
        boundMove(instant(before.notAfter), instant(after.notAfter), false),
        boundMove(duration(before.maxAge), duration(after.maxAge), false),
        boundMove(duration(before.maxAhead), duration(after.maxAhead), false),
      ],
      'allowed time window',
    );
  }
  if (
    before.kind === 'compare' &&
    after.kind === 'compare' &&
    before.other === after.other &&
    before.as === after.as
  ) {
    if (before.operator === after.operator) return SAME;
    return LOOSER_OPERATOR[before.operator]?.includes(after.operator)
      ? loosened('relaxes its comparison operator')
      : tightened('changes its comparison operator');
  }
  if (before.kind === 'unique' && after.kind === 'unique') return unique(before.keys, after.keys);
  return canonicalJson(before) === canonicalJson(after)
    ? SAME
    : tightened(`changes its ${before.kind} check`);
}

function body(rule: QualityRule): unknown {
  const { name: _name, severity: _severity, description: _description, ...check } = rule;
  return check;
}

/** How the check of a rule moved, ignoring its severity; unprovable changes count as tightening. */
export function checkMovement(before: QualityRule, after: QualityRule): Movement {
  if (canonicalJson(body(before)) === canonicalJson(body(after))) return SAME;
  if (before.kind === 'cel' || after.kind === 'cel')
    return tightened('changes its CEL expression, which cannot be proven looser');
  if (before.kind === 'conditional' || after.kind === 'conditional') {
    return tightened('changes its condition, which cannot be proven looser');
  }
  if (before.kind !== after.kind || before.path !== after.path) return tightened('now checks something else');
  return sameKind(before, after);
}
