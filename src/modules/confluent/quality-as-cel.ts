import { type FieldCheck, type QualityRule, type ValueCheck } from '@charter/sdk';

/** A Confluent rule of `ruleSet.domainRules`, as the Confluent serializer runs it. */
export interface ConfluentRule {
  name: string;
  doc?: string;
  kind: 'CONDITION';
  mode: 'WRITE';
  type: 'CEL';
  expr: string;
  onFailure: 'ERROR';
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED = new Set([
  'true',
  'false',
  'null',
  'in',
  'as',
  'break',
  'const',
  'continue',
  'else',
  'for',
  'function',
  'if',
  'import',
  'let',
  'loop',
  'package',
  'namespace',
  'return',
  'var',
  'void',
  'while',
]);

const celString = (text: string): string => JSON.stringify(text);

/** A double literal: JSON payloads reach CEL as doubles. */
function celNumber(value: number): string {
  return Number.isInteger(value) && Math.abs(value) < 1e21 ? `${value}.0` : String(value);
}

const celLiteral = (value: string | number | boolean): string =>
  typeof value === 'string' ? celString(value) : typeof value === 'number' ? celNumber(value) : String(value);

function member(base: string, name: string): string {
  return IDENTIFIER.test(name) && !RESERVED.has(name) ? `${base}.${name}` : `${base}[${celString(name)}]`;
}

/** JSON Pointer segments of a rule path; `*` stays a wildcard. */
function segmentsOf(path: string): string[] {
  if (path === '') return [];
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Charter's rule semantics: a missing or null target passes; `*` means every item. */
function whenPresent(
  base: string,
  segments: readonly string[],
  test: (value: string) => string,
  depth = 0,
): string {
  const [head, ...rest] = segments;
  if (head === undefined) return test(base);
  if (head === '*') {
    const item = `i${depth}`;
    return `${base}.all(${item}, ${whenPresent(item, rest, test, depth + 1)})`;
  }
  const next = member(base, head);
  return `(!(${celString(head)} in ${base} && ${next} != null) || ${whenPresent(next, rest, test, depth)})`;
}

/** Every step of the path present and not null (every item for `*`). */
function present(base: string, segments: readonly string[], depth = 0): string {
  const [head, ...rest] = segments;
  if (head === undefined) return 'true';
  if (head === '*') {
    const item = `i${depth}`;
    return `${base}.all(${item}, ${present(item, rest, depth + 1)})`;
  }
  const next = member(base, head);
  const tail = rest.length > 0 ? ` && ${present(next, rest, depth)}` : '';
  return `(${celString(head)} in ${base} && ${next} != null${tail})`;
}

function bounds(
  value: string,
  min?: number,
  max?: number,
  exclusiveMin = false,
  exclusiveMax = false,
): string {
  const parts: string[] = [];
  if (min !== undefined) parts.push(`${value} ${exclusiveMin ? '>' : '>='} ${celNumber(min)}`);
  if (max !== undefined) parts.push(`${value} ${exclusiveMax ? '<' : '<='} ${celNumber(max)}`);
  return parts.length > 0 ? parts.join(' && ') : 'true';
}

/** The CEL condition of one field check over `message`, or null when CEL cannot say it per record. */
function checkExpression(check: ValueCheck | FieldCheck): string | null {
  const segments = segmentsOf(check.path);
  switch (check.kind) {
    case 'required':
      return present('message', segments);
    case 'range':
      return whenPresent('message', segments, (v) =>
        bounds(v, check.min, check.max, check.exclusiveMin, check.exclusiveMax),
      );
    case 'length':
      return whenPresent('message', segments, (v) => bounds(`size(${v})`, check.min, check.max));
    case 'allowedValues':
      return whenPresent('message', segments, (v) => `${v} in [${check.values.map(celLiteral).join(', ')}]`);
    // Patterns are RE2 and the client's CEL uses its own engine; time, comparisons and uniqueness
    // need Charter's validator semantics. Charter still enforces all of them on its own paths.
    case 'pattern':
    case 'timestamp':
    case 'compare':
    case 'unique':
      return null;
  }
}

/** `when` then `then`, for fixed paths only: wildcards in both would have to share their indexes. */
function conditionalExpression(when: ValueCheck, then: readonly FieldCheck[]): string | null {
  if ([when, ...then].some((check) => check.path.split('/').includes('*'))) return null;
  const condition = checkExpression(when);
  const consequences = then.map(checkExpression);
  if (condition === null || consequences.some((expr) => expr === null)) return null;
  const applies = `${present('message', segmentsOf(when.path))} && ${condition}`;
  return `!(${applies}) || (${consequences.join(' && ')})`;
}

function expressionOf(rule: QualityRule): string | null {
  if (rule.kind === 'cel') return rule.expression;
  if (rule.kind === 'conditional') return conditionalExpression(rule.when, rule.then);
  return checkExpression(rule);
}

/**
 * The contract's quality rules that an unmodified Confluent serializer can enforce per record,
 * as CEL CONDITION rules on WRITE. Warnings are left out: Confluent has no "report only" failure.
 */
export function qualityAsDomainRules(quality: readonly QualityRule[]): ConfluentRule[] {
  const rules: ConfluentRule[] = [];
  for (const rule of quality) {
    if ((rule.severity ?? 'error') !== 'error') continue;
    const expr = expressionOf(rule);
    if (expr === null) continue;
    rules.push({
      name: rule.name,
      ...(rule.description !== undefined && { doc: rule.description }),
      kind: 'CONDITION',
      mode: 'WRITE',
      type: 'CEL',
      expr,
      onFailure: 'ERROR',
    });
  }
  return rules;
}
