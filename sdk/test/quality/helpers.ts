import type { QualityRule } from '../../src/quality';
import { createValidator, type ValidationIssue } from '../../src/validation';

export const NOW = Date.parse('2024-06-01T12:00:00Z');

/** Issues of one payload under `rules`, on a schema that accepts any object. */
export function issuesFor(rules: QualityRule[], payload: unknown, now = NOW): readonly ValidationIssue[] {
  const validator = createValidator(
    { schema: { type: 'object' }, quality: rules },
    { cache: false, clock: () => now },
  );
  return validator.validate(payload).issues ?? [];
}

/** [path, code] pairs, the part most assertions care about. */
export function failures(rules: QualityRule[], payload: unknown, now = NOW): [string, string][] {
  return issuesFor(rules, payload, now).map((issue) => [issue.path, issue.code]);
}
