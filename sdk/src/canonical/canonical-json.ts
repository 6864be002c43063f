import { createHash } from 'node:crypto';

/** A JSON value as it comes out of JSON.parse. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export class CanonicalJsonError extends Error {
  constructor(
    readonly code: 'NON_FINITE_NUMBER' | 'UNSUPPORTED_VALUE',
    message: string,
  ) {
    super(message);
    this.name = 'CanonicalJsonError';
  }
}

/**
 * RFC 8785 (JCS) canonical form: object members sorted by UTF-16 code units, no whitespace,
 * numbers and strings serialised as ECMAScript's JSON.stringify does. Members whose value is
 * undefined are dropped, as JSON.stringify drops them. Built by string concatenation, and plain
 * strings quoted without a JSON.stringify call: the audit verifier runs this once per event.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return quote(value);
    case 'number':
      if (!Number.isFinite(value))
        throw new CanonicalJsonError('NON_FINITE_NUMBER', 'numbers must be finite');
      return String(value); // Number::toString, exactly what JSON.stringify writes for a finite number
    case 'object':
      return Array.isArray(value) ? canonicalArray(value) : canonicalObject(value as Record<string, unknown>);
    default:
      throw new CanonicalJsonError('UNSUPPORTED_VALUE', `a ${typeof value} has no JSON form`);
  }
}

/** Anything JSON.stringify would escape: quote, backslash, controls, and surrogates (lone ones get \u escapes). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be found
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

function quote(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}

function canonicalArray(items: readonly unknown[]): string {
  let out = '[';
  for (let index = 0; index < items.length; index += 1) {
    const item = items[index];
    out += (index === 0 ? '' : ',') + (item === undefined ? 'null' : canonicalJson(item));
  }
  return `${out}]`;
}

function canonicalObject(object: Record<string, unknown>, omit?: readonly string[]): string {
  let out = '{';
  for (const key of Object.keys(object).sort()) {
    const member = object[key];
    if (member === undefined || omit?.includes(key) === true) continue;
    out += (out.length === 1 ? '' : ',') + quote(key) + ':' + canonicalJson(member);
  }
  return `${out}}`;
}

/** canonicalJson of an object without the named top-level members, and without copying it. */
export function canonicalJsonOmitting(object: Record<string, unknown>, omit: readonly string[]): string {
  return canonicalObject(object, omit);
}

/** SHA-256 of the canonical form, lower-case hex: the content identity of a document. */
export function canonicalHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex');
}
