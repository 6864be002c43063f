import { compileLinearPattern } from '../validation/linear-regexp';
import { ruleError } from './rule-error';
import type { AllowedValuesCheck, LengthCheck, RangeCheck, TimestampCheck, ValueCheck } from './rules';
import { parseDuration, parseInstant } from './time';

/** A compiled test of one present, non-null value; `now` is the validator clock in epoch ms. */
export interface ValueTest {
  readonly code: string;
  readonly message: string;
  readonly test: (value: unknown, now: number) => boolean;
}

export function compileValueTest(check: ValueCheck): ValueTest {
  switch (check.kind) {
    case 'required':
      return {
        code: 'QUALITY_REQUIRED',
        message: 'value is required and must not be null',
        test: () => true,
      };
    case 'range':
      return rangeTest(check);
    case 'length':
      return lengthTest(check);
    case 'pattern':
      return patternTest(check.pattern);
    case 'allowedValues':
      return allowedValuesTest(check);
    case 'timestamp':
      return timestampTest(check);
  }
}

function rangeTest({ min, max, exclusiveMin = false, exclusiveMax = false }: RangeCheck): ValueTest {
  const low = min ?? Number.NEGATIVE_INFINITY;
  const high = max ?? Number.POSITIVE_INFINITY;
  const bounds = [
    min === undefined ? '' : `${exclusiveMin ? '>' : '>='} ${min}`,
    max === undefined ? '' : `${exclusiveMax ? '<' : '<='} ${max}`,
  ].filter(Boolean);
  return {
    code: 'QUALITY_RANGE',
    message: `must be a number ${bounds.join(' and ')}`.trim(),
    test: (value) =>
      typeof value === 'number' &&
      (exclusiveMin ? value > low : value >= low) &&
      (exclusiveMax ? value < high : value <= high),
  };
}

function codePoints(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) count--;
  }
  return count;
}

function lengthTest({ min = 0, max = Number.POSITIVE_INFINITY }: LengthCheck): ValueTest {
  const within = (length: number) => length >= min && length <= max;
  const upper = Number.isFinite(max) ? ` and at most ${max}` : '';
  return {
    code: 'QUALITY_LENGTH',
    message: `length must be at least ${min}${upper}`,
    test: (value) =>
      typeof value === 'string' ? within(codePoints(value)) : Array.isArray(value) && within(value.length),
  };
}

function patternTest(pattern: string): ValueTest {
  let compiled: { test(input: string): boolean };
  try {
    compiled = compileLinearPattern(pattern);
  } catch {
    throw ruleError('QUALITY_PATTERN_INVALID', 'pattern is invalid or uses a feature RE2 lacks');
  }
  return {
    code: 'QUALITY_PATTERN',
    message: 'must match the rule pattern',
    test: (value) => typeof value === 'string' && compiled.test(value),
  };
}

function allowedValuesTest({ values }: AllowedValuesCheck): ValueTest {
  const allowed = new Set<unknown>(values);
  return {
    code: 'QUALITY_ALLOWED_VALUES',
    message: `must be one of the ${values.length} allowed values`,
    test: (value) => allowed.has(value),
  };
}

function instantOption(text: string | undefined, field: string): number | undefined {
  if (text === undefined) return undefined;
  const instant = parseInstant(text);
  if (Number.isNaN(instant))
    throw ruleError('QUALITY_RULE_INVALID', `${field} must be an RFC 3339 timestamp`);
  return instant;
}

function durationOption(text: string | undefined, field: string): number | undefined {
  if (text === undefined) return undefined;
  const duration = parseDuration(text);
  if (Number.isNaN(duration))
    throw ruleError('QUALITY_RULE_INVALID', `${field} must be an ISO 8601 duration`);
  return duration;
}

function timestampTest(check: TimestampCheck): ValueTest {
  const notBefore = instantOption(check.notBefore, 'notBefore') ?? Number.NEGATIVE_INFINITY;
  const notAfter = instantOption(check.notAfter, 'notAfter') ?? Number.POSITIVE_INFINITY;
  const maxAge = durationOption(check.maxAge, 'maxAge');
  const maxAhead = durationOption(check.maxAhead, 'maxAhead');
  const limits = [
    check.notBefore === undefined ? '' : `not before ${check.notBefore}`,
    check.notAfter === undefined ? '' : `not after ${check.notAfter}`,
    check.maxAge === undefined ? '' : `at most ${check.maxAge} old`,
    check.maxAhead === undefined ? '' : `at most ${check.maxAhead} ahead of now`,
  ].filter(Boolean);
  return {
    code: maxAge === undefined && maxAhead === undefined ? 'QUALITY_TIMESTAMP' : 'QUALITY_FRESHNESS',
    message: `must be an RFC 3339 timestamp ${limits.join(', ')}`.trim(),
    test: (value, now) => {
      const instant = parseInstant(value);
      return (
        instant >= notBefore &&
        instant <= notAfter &&
        (maxAge === undefined || instant >= now - maxAge) &&
        (maxAhead === undefined || instant <= now + maxAhead)
      );
    },
  };
}
