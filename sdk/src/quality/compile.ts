import type { ValidateFunction } from 'ajv';
import { type ValidationIssue } from '../validation/issues';
import { compileSchema } from '../validation/schema-compiler';
import { schemaErrorsToIssues } from '../validation/schema-issues';
import { type CelOutcome, compileCel } from './cel';
import { type CompiledCheck, type RuleIdentity, compileCondition, compileFieldCheck } from './field-checks';
import { PathSyntaxError } from './path';
import { QualityRuleError } from './rule-error';
import { qualityRulesSchema } from './rule-schema';
import type { CelCheck, ConditionalCheck, QualityRule } from './rules';

/** Quality rules compiled into closures; `run` appends issues and allocates nothing on success. */
export interface CompiledQualityRules {
  readonly count: number;
  /** True when a freshness bound needs the clock, so validators read it only then. */
  readonly usesClock: boolean;
  run(payload: unknown, now: number, out: ValidationIssue[]): void;
}

export type QualityCompileResult =
  | { readonly ok: true; readonly rules: CompiledQualityRules }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

let shapeValidator: ValidateFunction | undefined;

function ruleShape(): ValidateFunction {
  if (shapeValidator) return shapeValidator;
  const compiled = compileSchema(qualityRulesSchema, { allErrors: true });
  if (!compiled.ok) throw new Error('QUALITY_SCHEMA_BROKEN: the quality-rule schema does not compile');
  return (shapeValidator = compiled.validate);
}

/**
 * Checks the rules against the vocabulary's JSON Schema, then compiles each one. Problems come
 * back as issues whose paths point into the contract (`basePath`, '/quality' by default).
 */
export function compileQualityRules(rules: unknown, basePath = '/quality'): QualityCompileResult {
  const validateShape = ruleShape();
  if (!validateShape(rules)) {
    const errors = (validateShape.errors ?? []).filter((error) => error.keyword !== 'if');
    // A failed branch also makes its properties "unevaluated": keep those only when nothing else is wrong.
    const specific = errors.filter((error) => error.keyword !== 'unevaluatedProperties');
    const issues = schemaErrorsToIssues(specific.length > 0 ? specific : errors);
    return {
      ok: false,
      issues: issues.map((issue) => ({
        ...issue,
        path: basePath + issue.path,
        code: 'QUALITY_RULE_INVALID',
      })),
    };
  }
  const typed = rules as readonly QualityRule[];
  const issues: ValidationIssue[] = duplicateNames(typed, basePath);
  const checks: CompiledCheck[] = [];
  typed.forEach((rule, index) => {
    try {
      checks.push(compileRule(rule));
    } catch (error) {
      if (!(error instanceof QualityRuleError || error instanceof PathSyntaxError)) throw error;
      issues.push({
        path: `${basePath}/${index}`,
        code: error.code,
        rule: rule.name,
        message: error.message,
        severity: 'error',
      });
    }
  });
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, rules: bundle(checks, typed.some(usesClock)) };
}

function bundle(checks: readonly CompiledCheck[], clock: boolean): CompiledQualityRules {
  const count = checks.length;
  return {
    count,
    usesClock: clock,
    run: (payload, now, out) => {
      for (let i = 0; i < count; i++) (checks[i] as CompiledCheck)(payload, now, out);
    },
  };
}

function duplicateNames(rules: readonly QualityRule[], basePath: string): ValidationIssue[] {
  const seen = new Set<string>();
  const issues: ValidationIssue[] = [];
  rules.forEach((rule, index) => {
    if (seen.has(rule.name)) {
      issues.push({
        path: `${basePath}/${index}/name`,
        code: 'QUALITY_RULE_DUPLICATE',
        rule: rule.name,
        message: 'rule names must be unique',
        severity: 'error',
      });
    }
    seen.add(rule.name);
  });
  return issues;
}

function compileRule(rule: QualityRule): CompiledCheck {
  const identity: RuleIdentity = { name: rule.name, severity: rule.severity ?? 'error' };
  switch (rule.kind) {
    case 'cel':
      return celCheck(rule, identity);
    case 'conditional':
      return conditionalCheck(rule, identity);
    default:
      return compileFieldCheck(rule, identity);
  }
}

function conditionalCheck(rule: ConditionalCheck, identity: RuleIdentity): CompiledCheck {
  const holds = compileCondition(rule.when);
  const then = rule.then.map((check) => compileFieldCheck(check, identity));
  return (root, now, out) => {
    if (!holds(root, now)) return;
    for (const check of then) check(root, now, out);
  };
}

const CEL_MESSAGES: Readonly<Record<Exclude<CelOutcome, undefined>, string>> = {
  QUALITY_CEL: 'CEL rule evaluated to false',
  CEL_TYPE: 'CEL rule hit a type error (no matching overload or a non-bool result)',
  CEL_RUNTIME: 'CEL rule failed while evaluating (for example a missing field: guard it with has())',
};

function celCheck(rule: CelCheck, identity: RuleIdentity): CompiledCheck {
  const predicate = compileCel(rule.expression);
  const path = rule.path ?? '';
  const issueFor = (code: keyof typeof CEL_MESSAGES): ValidationIssue =>
    Object.freeze({
      path,
      code,
      rule: identity.name,
      message: CEL_MESSAGES[code],
      severity: identity.severity,
    });
  const issues = {
    QUALITY_CEL: issueFor('QUALITY_CEL'),
    CEL_TYPE: issueFor('CEL_TYPE'),
    CEL_RUNTIME: issueFor('CEL_RUNTIME'),
  };
  return (root, _now, out) => {
    const outcome = predicate(root);
    if (outcome !== undefined) out.push(issues[outcome]);
  };
}

function usesClock(rule: QualityRule): boolean {
  const checks = rule.kind === 'conditional' ? [rule.when, ...rule.then] : [rule];
  return checks.some(
    (check) => check.kind === 'timestamp' && (check.maxAge !== undefined || check.maxAhead !== undefined),
  );
}
