import type { RegExpEngine } from 'ajv/dist/types';
import { RE2JS } from 're2js';

/** A compiled pattern with RegExp's `test` (search anywhere), run in linear time. */
export interface LinearPattern {
  test(input: string): boolean;
}

/** Product of bounded repeat counts allowed on the native engine, alone or beside one `*`/`+`. */
const MAX_BOUNDED_FACTOR = 10_000;
const MAX_FACTOR_WITH_UNBOUNDED = 16;

/**
 * Compiles a pattern so that matching is linear in the input. Every pattern must be accepted by
 * RE2 (no look-arounds, no back-references), so the service and the SDK refuse the same ones.
 * Patterns whose shape cannot backtrack badly (anchored with ^, no group, no alternation, at most
 * one unbounded quantifier, bounded repeats) run on the native engine, 5-10x faster on short
 * strings; everything else runs on re2js.
 */
export function compileLinearPattern(pattern: string, flags = 'u'): LinearPattern {
  const linear = RE2JS.compile(pattern);
  if (isBacktrackSafe(pattern)) {
    try {
      return new RegExp(pattern, flags);
    } catch {
      // ECMAScript refuses some RE2 syntax (for example \Q...\E): stay on re2js.
    }
  }
  return { test: (input) => linear.test(input) };
}

/**
 * Conservative shape test: true only when a backtracking engine needs at most about
 * n x 16 steps (one unbounded quantifier) or 10,000 steps (none) per match. Anything unusual
 * answers false, and re2js is used.
 */
export function isBacktrackSafe(pattern: string): boolean {
  if (!pattern.startsWith('^')) return false;
  let unbounded = 0;
  let factor = 1;
  let afterAtom = false;
  for (let i = 1; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '(' || char === ')' || char === '|') return false;
    if (char === '\\') {
      if (/[1-9k]/.test(pattern[i + 1] ?? '')) return false;
      i++;
      afterAtom = true;
    } else if (char === '[') {
      i = classEnd(pattern, i);
      if (i < 0) return false;
      afterAtom = true;
    } else if (char === '*' || char === '+') {
      if (!afterAtom) return false;
      unbounded++;
      afterAtom = false;
    } else if (char === '?') {
      if (afterAtom) factor *= 2;
      afterAtom = false;
    } else if (char === '{') {
      const repeat = /^\{(\d{1,4})(,(\d{0,4}))?\}/.exec(pattern.slice(i));
      if (!repeat || !afterAtom) return false;
      if (repeat[2] !== undefined && !repeat[3]) unbounded++;
      else factor *= Number(repeat[3] ?? repeat[1]) + 1;
      i += repeat[0].length - 1;
      afterAtom = false;
    } else {
      afterAtom = char !== '^' && char !== '$';
    }
    if (unbounded > 1 || factor > (unbounded === 1 ? MAX_FACTOR_WITH_UNBOUNDED : MAX_BOUNDED_FACTOR))
      return false;
  }
  return true;
}

/** Index of the `]` closing the class opened at `start`, or -1. */
function classEnd(pattern: string, start: number): number {
  for (let i = start + 1; i < pattern.length; i++) {
    if (pattern[i] === '\\') i++;
    else if (pattern[i] === '[') return -1;
    else if (pattern[i] === ']') return i;
  }
  return -1;
}

function patternEngine(pattern: string, flags: string): LinearPattern & { toString(): string } {
  const compiled = compileLinearPattern(pattern, flags);
  return { test: (input) => compiled.test(input), toString: () => pattern };
}

/** ajv's `code.regExp` option: every `pattern` and `patternProperties` goes through here. */
export const linearRegExpEngine: RegExpEngine = Object.assign(patternEngine, { code: 're2js' });
