import type { RegExpEngine } from 'ajv/dist/types';
import { RE2JS } from 're2js';

/** A compiled pattern with RegExp's `test` (search anywhere), run in linear time. */
export interface LinearPattern {
  test(input: string): boolean;
}

/**
 * Compiles a pattern with re2js: linear time in the input, so a hostile pattern cannot stall a
 * producer or the service. RE2 refuses look-arounds and back-references; callers map the throw
 * to their own coded error.
 */
export function compileLinearPattern(pattern: string): LinearPattern {
  const compiled = RE2JS.compile(pattern);
  return { test: (input) => compiled.test(input) };
}

function re2Engine(pattern: string): LinearPattern & { toString(): string } {
  const compiled = compileLinearPattern(pattern);
  return { test: (input) => compiled.test(input), toString: () => pattern };
}

/** ajv's `code.regExp` option: every `pattern` and `patternProperties` goes through re2js. */
export const linearRegExpEngine: RegExpEngine = Object.assign(re2Engine, { code: 're2js' });
