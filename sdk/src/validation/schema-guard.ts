import { type ValidationIssue } from './issues';
import { pointerToken } from '../json-pointer';

/** Limits applied before ajv sees a schema (ajv treats schemas as trusted code). */
export interface SchemaLimits {
  readonly maxDepth: number;
  readonly maxEnumSize: number;
}

export const DEFAULT_SCHEMA_LIMITS: SchemaLimits = { maxDepth: 64, maxEnumSize: 1000 };

const REF_KEYWORDS = ['$ref', '$dynamicRef', '$recursiveRef'] as const;

/**
 * Walks the schema once and refuses what must never reach ajv: references outside the document
 * (nothing is ever fetched or read), nesting deep enough to overflow the stack, huge enums.
 */
export function guardSchema(
  schema: unknown,
  limits: SchemaLimits = DEFAULT_SCHEMA_LIMITS,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  walk(schema, '', 0, limits, issues);
  return issues;
}

function walk(
  node: unknown,
  at: string,
  depth: number,
  limits: SchemaLimits,
  issues: ValidationIssue[],
): void {
  if (typeof node !== 'object' || node === null || issues.length > 0) return;
  if (depth > limits.maxDepth) {
    issues.push(schemaIssue(at, 'SCHEMA_TOO_DEEP', `schema nesting exceeds ${limits.maxDepth} levels`));
    return;
  }
  if (Array.isArray(node)) {
    node.forEach((item, index) => {
      walk(item, `${at}/${index}`, depth + 1, limits, issues);
    });
    return;
  }
  checkKeywords(node as Record<string, unknown>, at, limits, issues);
  for (const [key, child] of Object.entries(node)) {
    // Enum and example lists are data, not schemas; a property named "enum" holds an object.
    if ((key === 'enum' || key === 'examples') && Array.isArray(child)) continue;
    // walk() looks at objects only: no path for the rest
    if (typeof child === 'object' && child !== null)
      walk(child, `${at}/${pointerToken(key)}`, depth + 1, limits, issues);
  }
}

function checkKeywords(
  node: Record<string, unknown>,
  at: string,
  limits: SchemaLimits,
  issues: ValidationIssue[],
): void {
  for (const keyword of REF_KEYWORDS) {
    const ref = node[keyword];
    if (typeof ref === 'string' && !ref.startsWith('#')) {
      issues.push(schemaIssue(at, 'SCHEMA_EXTERNAL_REF', `${keyword} must point inside the schema ('#...')`));
    }
  }
  const values = node.enum;
  if (Array.isArray(values) && values.length > limits.maxEnumSize) {
    issues.push(schemaIssue(at, 'SCHEMA_ENUM_TOO_LARGE', `enum has more than ${limits.maxEnumSize} values`));
  }
}

export function schemaIssue(path: string, code: string, message: string): ValidationIssue {
  return { path, code, message, severity: 'error' };
}
