import type { QualityRule, RuleSeverity } from './rules';
import { checkMovement } from './rule-tightening';

export type QualityRuleChangeType =
  'QUALITY_RULE_ADDED' | 'QUALITY_RULE_REMOVED' | 'QUALITY_RULE_TIGHTENED' | 'QUALITY_RULE_LOOSENED';

export interface QualityRuleChange {
  readonly type: QualityRuleChangeType;
  /** Breaking under BACKWARD: data valid under the old rules may fail the new ones. */
  readonly breaking: boolean;
  /** Tightened changes can break BACKWARD; loosened ones can break FORWARD. */
  readonly effect: 'tightened' | 'loosened';
  readonly path: string;
  readonly rule: string;
  readonly message: string;
  readonly suggestion: string;
}

export interface QualityRulesDiff {
  /** True when no change is breaking under BACKWARD. */
  readonly compatible: boolean;
  readonly changes: readonly QualityRuleChange[];
}

const severityOf = (rule: QualityRule): RuleSeverity => rule.severity ?? 'error';

function targetOf(rule: QualityRule): string {
  if (rule.kind === 'conditional') return rule.when.path;
  if (rule.kind === 'cel') return rule.path ?? '';
  return rule.path;
}

const SOFTEN =
  'Keep the previous rule, or ship the stricter one as a warning first and make it an error in a new major version.';

function change(
  rule: QualityRule,
  type: QualityRuleChangeType,
  message: string,
  suggestion: string,
): QualityRuleChange {
  const effect =
    type === 'QUALITY_RULE_ADDED' || type === 'QUALITY_RULE_TIGHTENED' ? 'tightened' : 'loosened';
  const breaking = effect === 'tightened' && severityOf(rule) === 'error';
  return { type, breaking, effect, path: targetOf(rule), rule: rule.name, message, suggestion };
}

function added(rule: QualityRule): QualityRuleChange {
  const where = `"${rule.name}" (${rule.kind}) on ${targetOf(rule) || 'the payload'}`;
  return severityOf(rule) === 'error'
    ? change(
        rule,
        'QUALITY_RULE_ADDED',
        `New error rule ${where}: payloads valid under the previous version may now fail.`,
        SOFTEN,
      )
    : change(
        rule,
        'QUALITY_RULE_ADDED',
        `New warning rule ${where}: it reports but never rejects.`,
        'Make it an error in a later version once producers comply.',
      );
}

function removed(rule: QualityRule): QualityRuleChange {
  return change(
    rule,
    'QUALITY_RULE_REMOVED',
    `Rule "${rule.name}" was removed: payloads are checked less than before.`,
    'Consumers that relied on it should check the data themselves.',
  );
}

function modified(before: QualityRule, after: QualityRule): QualityRuleChange[] {
  const changes: QualityRuleChange[] = [];
  const movement = checkMovement(before, after);
  if (movement.effect === 'tightened') {
    changes.push(
      change(
        after,
        'QUALITY_RULE_TIGHTENED',
        `Rule "${after.name}" ${movement.reason}: previously valid payloads may fail.`,
        SOFTEN,
      ),
    );
  } else if (movement.effect === 'loosened') {
    changes.push(
      change(
        after,
        'QUALITY_RULE_LOOSENED',
        `Rule "${after.name}" ${movement.reason}.`,
        'No action needed for BACKWARD consumers.',
      ),
    );
  }
  const [was, is] = [severityOf(before), severityOf(after)];
  if (was === 'warning' && is === 'error') {
    const message = `Rule "${after.name}" was promoted from warning to error: payloads that only warned now fail.`;
    changes.push(
      change(
        after,
        'QUALITY_RULE_TIGHTENED',
        message,
        'Check that producers no longer trigger the warning before promoting it.',
      ),
    );
  } else if (was === 'error' && is === 'warning') {
    changes.push(
      change(
        after,
        'QUALITY_RULE_LOOSENED',
        `Rule "${after.name}" was demoted from error to warning.`,
        'No action needed.',
      ),
    );
  }
  return changes;
}

/**
 * Rule changes between two contract versions, matched by rule name. A change that cannot be
 * proven looser (CEL text, conditions, a different target) is reported as tightening.
 */
export function diffQualityRules(
  oldRules: readonly QualityRule[],
  newRules: readonly QualityRule[],
): QualityRulesDiff {
  const before = new Map(oldRules.map((rule) => [rule.name, rule]));
  const after = new Map(newRules.map((rule) => [rule.name, rule]));
  const changes: QualityRuleChange[] = [];
  for (const rule of newRules) {
    const previous = before.get(rule.name);
    changes.push(...(previous ? modified(previous, rule) : [added(rule)]));
  }
  for (const rule of oldRules) if (!after.has(rule.name)) changes.push(removed(rule));
  return { compatible: !changes.some((entry) => entry.breaking), changes };
}
