import { AnonymizationError } from '../errors';

const MAX_DEPTH = 256;

/** Sets a member without letting a `__proto__` key from parsed JSON reach the prototype. */
export function defineMember(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** A deep copy of a JSON value, so released values never alias the caller's object. */
export function cloneJson(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) throw new AnonymizationError('RECORD_TOO_DEEP', 'record nesting exceeds the limit');
  if (Array.isArray(value)) return value.map((item: unknown) => cloneJson(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value))
    defineMember(out, key, cloneJson((value as Record<string, unknown>)[key], depth + 1));
  return out;
}
