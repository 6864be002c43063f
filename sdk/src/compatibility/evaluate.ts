/** A small JSON Schema evaluator over a scope, used to prove breaks with concrete instances. */
import { fullFormats } from 'ajv-formats/dist/formats';
import { facetsOf, typeOfValue, type Bound, type Facets } from './facets';
import { isSchemaObject, type Schema, type Scope } from './schema-doc';

const regexCache = new Map<string, RegExp | null>();

/** The compiled pattern, or null when it is not a valid ECMAScript regular expression. */
export function compilePattern(pattern: string): RegExp | null {
  let re = regexCache.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(pattern, 'u');
    } catch {
      re = null;
    }
    if (regexCache.size > 5000) regexCache.clear();
    regexCache.set(pattern, re);
  }
  return re;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  const ka = Object.keys(a);
  const rb = b as Record<string, unknown>;
  const ra = a as Record<string, unknown>;
  return ka.length === Object.keys(b).length && ka.every((k) => k in rb && deepEqual(ra[k], rb[k]));
}

function withinBound(v: number, bound: Bound | undefined, isMax: boolean): boolean {
  if (bound === undefined) return true;
  if (isMax) return bound.exclusive ? v < bound.value : v <= bound.value;
  return bound.exclusive ? v > bound.value : v >= bound.value;
}

export function isMultiple(v: number, m: number): boolean {
  const q = v / m;
  return Math.abs(q - Math.round(q)) < 1e-9;
}

export function formatAccepts(format: string, v: string): boolean {
  const known = (fullFormats as Record<string, unknown>)[format];
  if (known instanceof RegExp) return known.test(v);
  if (typeof known === 'function') return Boolean((known as (s: string) => unknown)(v));
  if (isSchemaObject(known) && typeof known.validate === 'function') {
    return Boolean((known.validate as (s: string) => unknown)(v));
  }
  if (known instanceof Object && 'validate' in known) return true;
  return true;
}

export class Evaluator {
  constructor(private readonly scope: Scope) {}

  validate(schema: Schema, v: unknown, depth = 0): boolean {
    if (depth > 64) return false;
    const s = this.scope.deref(schema);
    if (typeof s === 'boolean') return s;
    const f = facetsOf(this.scope, s);
    if (f.never) return false;
    const t = typeOfValue(v);
    if (f.types !== null && !f.types.has(t)) return false;
    if (!f.enums.every((list) => list.some((e) => deepEqual(e, v)))) return false;
    if (!this.typed(f, v, depth)) return false;
    return this.applicators(f, v, depth);
  }

  private typed(f: Facets, v: unknown, depth: number): boolean {
    if (typeof v === 'number') {
      return (
        withinBound(v, f.min, false) &&
        withinBound(v, f.max, true) &&
        f.multipleOf.every((m) => isMultiple(v, m))
      );
    }
    if (typeof v === 'string') return this.string(f, v);
    if (Array.isArray(v)) return this.array(f, v, depth);
    if (isSchemaObject(v)) return this.object(f, v, depth);
    return true;
  }

  private string(f: Facets, v: string): boolean {
    const length = Array.from(v).length; // JSON Schema counts code points
    if (f.minLength !== undefined && length < f.minLength) return false;
    if (f.maxLength !== undefined && length > f.maxLength) return false;
    if (!f.patterns.every((p) => compilePattern(p)?.test(v) ?? false)) return false;
    return f.formats.every((fmt) => formatAccepts(fmt, v));
  }

  private array(f: Facets, v: unknown[], depth: number): boolean {
    if (f.minItems !== undefined && v.length < f.minItems) return false;
    if (f.maxItems !== undefined && v.length > f.maxItems) return false;
    if (f.uniqueItems && v.some((x, i) => v.findIndex((y) => deepEqual(x, y)) !== i)) return false;
    for (const part of f.arrays) {
      for (let i = 0; i < v.length; i++) {
        const item = i < part.prefix.length ? part.prefix[i] : part.rest;
        if (item !== undefined && !this.validate(item, v[i], depth + 1)) return false;
        const unevaluated = item === undefined && part.unevaluated;
        if (
          unevaluated !== undefined &&
          unevaluated !== false &&
          !this.validate(unevaluated, v[i], depth + 1)
        ) {
          return false;
        }
        if (unevaluated === false && item === undefined) return false;
      }
    }
    for (const c of f.contains) {
      const count = v.filter((x) => this.validate(c.schema, x, depth + 1)).length;
      if (count < c.min || (c.max !== undefined && count > c.max)) return false;
    }
    return true;
  }

  private object(f: Facets, v: Record<string, unknown>, depth: number): boolean {
    const keys = Object.keys(v);
    if (f.minProperties !== undefined && keys.length < f.minProperties) return false;
    if (f.maxProperties !== undefined && keys.length > f.maxProperties) return false;
    for (const name of f.required) if (!(name in v)) return false;
    for (const [name, deps] of Object.entries(f.dependentRequired)) {
      if (name in v && !deps.every((d) => d in v)) return false;
    }
    for (const [name, schema] of f.dependentSchemas)
      if (name in v && !this.validate(schema, v, depth + 1)) return false;
    for (const pn of f.propertyNames) if (!keys.every((k) => this.validate(pn, k, depth + 1))) return false;
    for (const part of f.objects) {
      for (const key of keys) {
        const named = Object.prototype.hasOwnProperty.call(part.properties, key);
        if (named && !this.validate(part.properties[key] as Schema, v[key], depth + 1)) return false;
        let matched = named;
        for (const [pattern, schema] of part.patterns) {
          if (compilePattern(pattern)?.test(key) !== true) continue;
          matched = true;
          if (!this.validate(schema, v[key], depth + 1)) return false;
        }
        const rest = matched ? undefined : (part.additional ?? part.unevaluated);
        if (rest !== undefined && !this.validate(rest, v[key], depth + 1)) return false;
      }
    }
    return true;
  }

  private applicators(f: Facets, v: unknown, depth: number): boolean {
    for (const branches of f.anyOf) if (!branches.some((b) => this.validate(b, v, depth + 1))) return false;
    for (const branches of f.oneOf) {
      if (branches.filter((b) => this.validate(b, v, depth + 1)).length !== 1) return false;
    }
    for (const n of f.not) if (this.validate(n.schema, v, depth + 1)) return false;
    for (const c of f.conditionals) {
      const next = this.validate(c.if, v, depth + 1) ? c.then : c.else;
      if (next !== undefined && !this.validate(next, v, depth + 1)) return false;
    }
    return true;
  }
}
