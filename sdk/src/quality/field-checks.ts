import { type ValidationIssue } from '../validation/issues';
import { comparator, identityOf } from './compare';
import { type PayloadPath, compilePath } from './path';
import { ruleError } from './rule-error';
import type { CompareCheck, FieldCheck, RuleSeverity, UniqueCheck, ValueCheck } from './rules';
import { compileValueTest } from './value-checks';

/** Appends issues for `root` to `out`; allocation happens only when something fails. */
export type CompiledCheck = (root: unknown, now: number, out: ValidationIssue[]) => void;

export interface RuleIdentity {
  readonly name: string;
  readonly severity: RuleSeverity;
}

const NO_INDEXES: readonly number[] = [];

export function compileFieldCheck(check: FieldCheck, rule: RuleIdentity): CompiledCheck {
  switch (check.kind) {
    case 'compare':
      return compareCheck(check, rule);
    case 'unique':
      return uniqueCheck(check, rule);
    default:
      return valueCheck(check, rule);
  }
}

function issueFactory(rule: RuleIdentity, code: string, message: string) {
  return (path: string): ValidationIssue => ({
    path,
    code,
    rule: rule.name,
    message,
    severity: rule.severity,
  });
}

function valueCheck(check: ValueCheck, rule: RuleIdentity): CompiledCheck {
  const path = compilePath(check.path);
  const { code, message, test } = compileValueTest(check);
  const issueAt = issueFactory(rule, code, message);
  const required = check.kind === 'required';
  if (path.wildcards === 0) {
    const issue = Object.freeze(issueAt(path.pointer));
    return (root, now, out) => {
      const value = path.at(root, NO_INDEXES);
      if (value === undefined || value === null ? required : !test(value, now)) out.push(issue);
    };
  }
  return (root, now, out) => {
    path.forEach(root, (value, indexes) => {
      if (value === undefined || value === null ? required : !test(value, now))
        out.push(issueAt(path.concrete(indexes)));
    });
  };
}

/** Holds when the path matches at least once and every match is present and passes. */
export function compileCondition(check: ValueCheck): (root: unknown, now: number) => boolean {
  const path = compilePath(check.path);
  const { test } = compileValueTest(check);
  return (root, now) => {
    const state = { matched: false, holds: true };
    path.forEach(root, (value) => {
      state.matched = true;
      if (value === undefined || value === null || !test(value, now)) state.holds = false;
    });
    return state.matched && state.holds;
  };
}

function compareCheck(check: CompareCheck, rule: RuleIdentity): CompiledCheck {
  const path = compilePath(check.path);
  const other = compilePath(check.other);
  if (other.wildcards > path.wildcards) {
    throw ruleError('QUALITY_PATH_INVALID', '"other" may not have more wildcards than "path"');
  }
  const accepts = comparator(check);
  const issueAt = issueFactory(
    rule,
    'QUALITY_COMPARE',
    `must be ${check.operator} the value at ${check.other}`,
  );
  return (root, _now, out) => {
    path.forEach(root, (value, indexes) => {
      if (value === undefined || value === null) return;
      const against = other.at(root, indexes);
      if (against !== undefined && against !== null && !accepts(value, against)) {
        out.push(issueAt(path.concrete(indexes)));
      }
    });
  };
}

/** Primitives are their own identity (a Set tells 1 from '1'); the rest get a string identity. */
function primitiveOrIdentity(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? identityOf(value) : value;
}

function keyFunction(keys: readonly PayloadPath[]): (item: unknown) => unknown {
  if (keys.length === 0) return primitiveOrIdentity;
  const [single] = keys;
  if (keys.length === 1 && single) return (item) => primitiveOrIdentity(single.at(item, NO_INDEXES));
  return (item) => {
    let identity = '';
    for (const key of keys) {
      const value = key.at(item, NO_INDEXES);
      if (value === undefined) return undefined;
      identity += `${identityOf(value)}\u0000`;
    }
    return identity;
  };
}

function uniqueCheck(check: UniqueCheck, rule: RuleIdentity): CompiledCheck {
  const path = compilePath(check.path);
  const keys = (check.keys ?? []).map(compilePath);
  if (keys.some((key) => key.wildcards > 0))
    throw ruleError('QUALITY_PATH_INVALID', 'unique keys cannot use "*"');
  const keyOf = keyFunction(keys);
  const label = keys.length === 0 ? 'items' : `items by ${keys.map((key) => key.pointer).join(', ')}`;
  const issueAt = issueFactory(rule, 'QUALITY_UNIQUE', `${label} must be unique`);
  return (root, _now, out) => {
    path.forEach(root, (items, indexes) => {
      if (!Array.isArray(items)) return;
      const seen = new Set<unknown>();
      items.forEach((item, index) => {
        const identity = keyOf(item);
        if (identity === undefined) return;
        if (seen.has(identity)) out.push(issueAt(`${path.concrete(indexes)}/${index}`));
        else seen.add(identity);
      });
    });
  };
}
