/** Candidate instances for a schema: enum values, examples, boundaries and small generated values. */
import { allowsType, facetsOf, itemSchemasAt, type Facets } from './facets';
import { isSchemaObject, type Schema, type Scope } from './schema-doc';
import { shapesOf } from './shapes';

const LIMIT = 40;
const SAMPLE_STRINGS = ['', 'a', 'A', '0', 'abc', 'ABC', 'a1', 'aaaaaaaaaaaa', ' ', 'S_x', 'I_x', 'x-y'];
const FORMAT_SAMPLES: Record<string, string> = {
  date: '2024-01-31',
  'date-time': '2024-01-31T10:00:00Z',
  time: '10:00:00Z',
  email: 'a@example.com',
  uuid: '123e4567-e89b-12d3-a456-426614174000',
  uri: 'https://example.com/a',
  'uri-reference': '/a',
  hostname: 'example.com',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
  duration: 'P1D',
};

const MEMO = new WeakMap<Scope, Map<string, unknown[]>>();

/**
 * Candidate instances (not all valid) drawn from a schema, bounded in number. They depend only on
 * the schema's content, so copies of one subschema (by shape id) share one list; callers get a copy.
 */
export function candidates(scope: Scope, schema: Schema, depth = 0): unknown[] {
  const shape = shapesOf(scope).of(schema);
  if (shape === undefined) return fresh(scope, schema, depth);
  let memo = MEMO.get(scope);
  if (memo === undefined) MEMO.set(scope, (memo = new Map<string, unknown[]>()));
  const key = `${shape}:${depth}`;
  let list = memo.get(key);
  if (list === undefined) memo.set(key, (list = fresh(scope, schema, depth)));
  return list.slice();
}

function fresh(scope: Scope, schema: Schema, depth: number): unknown[] {
  const out: unknown[] = [];
  const s = scope.deref(schema);
  if (typeof s === 'boolean') return s ? [null, 0, 'a', [], {}] : [];
  const f = facetsOf(scope, s);
  for (const key of ['examples', 'enum']) if (Array.isArray(s[key])) out.push(...(s[key] as unknown[]));
  for (const key of ['const', 'default', 'example']) if (key in s) out.push(s[key]);
  for (const list of f.enums) out.push(...list);
  if (f.enums.length > 0) return out.slice(0, LIMIT);
  if (depth > 3) return out;
  for (const branches of [...f.anyOf, ...f.oneOf]) {
    for (const b of branches) out.push(...candidates(scope, b, depth + 1).slice(0, 12));
  }
  for (const n of f.not) out.push(...candidates(scope, n.schema, depth + 1).slice(0, 12));
  for (const c of f.conditionals) {
    for (const s2 of [c.if, c.then, c.else])
      if (s2 !== undefined) out.push(...candidates(scope, s2, depth + 1).slice(0, 8));
  }
  if (allowsType(f, 'null')) out.push(null);
  if (allowsType(f, 'boolean')) out.push(true, false);
  if (allowsType(f, 'integer') || allowsType(f, 'number')) out.push(...numbers(f));
  if (allowsType(f, 'string')) out.push(...strings(f));
  if (allowsType(f, 'array')) out.push(...arrays(scope, f, depth));
  if (allowsType(f, 'object')) out.push(...objects(scope, f, depth));
  return out.slice(0, LIMIT * 2);
}

function numbers(f: Facets): number[] {
  const out: number[] = [];
  for (const b of [f.min, f.max]) {
    if (b === undefined) continue;
    out.push(
      b.value,
      b.value + 1,
      b.value - 1,
      b.value + 0.5,
      b.value - 0.5,
      Math.ceil(b.value),
      Math.floor(b.value),
    );
  }
  for (const m of f.multipleOf) out.push(m, m * 2, m * 3, -m, m * 7);
  out.push(0, 1, -1, 2, 0.5, 1e6, -1e6);
  return out.filter((n) => Number.isFinite(n));
}

function strings(f: Facets): string[] {
  const out: string[] = [];
  for (const fmt of f.formats) if (FORMAT_SAMPLES[fmt] !== undefined) out.push(FORMAT_SAMPLES[fmt]);
  for (const n of [f.minLength, f.maxLength]) {
    if (n !== undefined && n < 1000) out.push('a'.repeat(n), 'a'.repeat(n + 1));
  }
  if (f.minLength !== undefined && f.minLength > 0 && f.minLength < 1000)
    out.push('a'.repeat(f.minLength - 1));
  return [...out, ...SAMPLE_STRINGS];
}

function itemCandidates(scope: Scope, f: Facets, index: number, depth: number): unknown[] {
  const schemas = itemSchemasAt(f.arrays, index);
  const c = schemas.length === 0 ? [0, 'a'] : candidates(scope, schemas[0] as Schema, depth + 1);
  for (const contained of f.contains) c.push(...candidates(scope, contained.schema, depth + 1).slice(0, 3));
  return c.length === 0 ? [null] : c;
}

function arrays(scope: Scope, f: Facets, depth: number): unknown[][] {
  const out: unknown[][] = [[]];
  const lengths = new Set([1, 2, 3, f.minItems ?? 0, f.maxItems ?? 0, (f.maxItems ?? 0) + 1]);
  const prefixLength = Math.max(0, ...f.arrays.map((p) => p.prefix.length));
  lengths.add(prefixLength).add(prefixLength + 1);
  for (const length of lengths) {
    if (length <= 0 || length > 50) continue;
    const pools = Array.from({ length }, (_, i) => itemCandidates(scope, f, i, depth));
    const variants = Math.min(6, Math.max(...pools.map((p) => p.length)));
    for (let v = 0; v < variants; v++) out.push(pools.map((p, i) => p[(v + i * (v > 2 ? 1 : 0)) % p.length]));
  }
  return out;
}

function objects(scope: Scope, f: Facets, depth: number): Record<string, unknown>[] {
  const names = new Set<string>(f.required);
  for (const part of f.objects) for (const name of Object.keys(part.properties)) names.add(name);
  const pools = new Map<string, unknown[]>();
  for (const name of names) pools.set(name, valueCandidates(scope, f, name, depth));
  const base: Record<string, unknown> = {};
  for (const name of f.required) base[name] = pools.get(name)?.[0] ?? null;
  const out: Record<string, unknown>[] = [{ ...base }];
  const full = { ...base };
  for (const [name, pool] of pools) {
    if (!(name in full)) full[name] = pool[0];
    for (const value of pool.slice(0, 6)) out.push({ ...base, [name]: value });
  }
  out.push(full);
  for (const extra of extraKeys(f))
    for (const value of [1, 'a', null, {}, [], true]) out.push({ ...base, [extra]: value });
  return out;
}

function valueCandidates(scope: Scope, f: Facets, name: string, depth: number): unknown[] {
  const out: unknown[] = [];
  for (const part of f.objects) {
    const s = part.properties[name];
    if (s !== undefined) out.push(...candidates(scope, s, depth + 1));
  }
  return out.length === 0 ? [1, 'a', null] : out;
}

function extraKeys(f: Facets): string[] {
  const keys = ['x', 'zz_extra', 'a', 'b'];
  for (const part of f.objects) for (const [pattern] of part.patterns) keys.push(...keysFor(pattern));
  return keys;
}

function keysFor(pattern: string): string[] {
  const literal = pattern.replace(/^\^/, '').replace(/[\\$^*+?()[\]{}|.]/g, '');
  return [literal, `${literal}x`];
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return isSchemaObject(v);
}
