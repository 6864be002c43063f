import { rulesToCondition } from '@casl/ability/extra';
import { type Action, type AppAbility, type SubjectName } from './ability';

/** A list query's visibility filter, derived from the same rules as the instance checks. */
export type ScopeCondition =
  | { op: 'all' }
  | { op: 'eq'; field: string; value: string }
  | { op: 'and' | 'or'; of: ScopeCondition[] }
  | { op: 'not'; of: ScopeCondition[] };

export class ScopeFilterError extends Error {}

function fromConditions(conditions: unknown, inverted: boolean): ScopeCondition {
  const terms = Object.entries(conditions as Record<string, unknown>).map(
    ([field, value]): ScopeCondition => {
      // Equality on ids is all list filters need; anything else must be taught here first.
      if (typeof value !== 'string') throw new ScopeFilterError(`unsupported condition on ${field}`);
      return { op: 'eq', field, value };
    },
  );
  const all: ScopeCondition = terms.length === 1 ? (terms[0] as ScopeCondition) : { op: 'and', of: terms };
  return inverted ? { op: 'not', of: [all] } : all;
}

/** Null: nothing is visible. */
export function scopeFilter(
  ability: AppAbility,
  action: Action,
  subjectName: SubjectName,
): ScopeCondition | null {
  return rulesToCondition<AppAbility, ScopeCondition, ScopeCondition>(
    ability.rulesFor(action, subjectName),
    (rule) => fromConditions(rule.conditions, rule.inverted),
    { and: (of) => ({ op: 'and', of }), or: (of) => ({ op: 'or', of }), empty: () => ({ op: 'all' }) },
  );
}

/**
 * SQL for a scope, with values bound through `param`. Columns maps each condition field to a
 * column; a field without a column is a programming error, not an empty result.
 */
export function scopeSql(
  scope: ScopeCondition,
  columns: Record<string, string>,
  param: (value: unknown) => string,
): string {
  switch (scope.op) {
    case 'all':
      return 'TRUE';
    case 'eq': {
      const column = columns[scope.field];
      if (column === undefined) throw new ScopeFilterError(`no column for ${scope.field}`);
      return `${column} = ${param(scope.value)}`;
    }
    case 'and':
    case 'or':
      return `(${scope.of.map((s) => scopeSql(s, columns, param)).join(` ${scope.op.toUpperCase()} `)})`;
    case 'not':
      return `NOT (${scope.of.map((s) => scopeSql(s, columns, param)).join(' AND ')})`;
  }
}
