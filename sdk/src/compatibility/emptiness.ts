/** Conservative emptiness and universality: `true` only when proven. */
import { allOf, type Ctx } from './context';
import { deepEqual } from './evaluate';
import { choice, itemSchemasAt, valueSchemasFor, type Bound, type Facets, type JsonType } from './facets';
import { includes } from './include';
import { compilePattern } from './evaluate';
import type { Schema, SchemaObject } from './schema-doc';

const SLICE_TYPES: JsonType[] = ['null', 'boolean', 'number', 'string', 'array', 'object'];

/** Whether no instance at all satisfies the schema (proven; false when unsure). */
export function isEmpty(ctx: Ctx, schema: Schema, depth = 0): boolean {
  const s = ctx.deref(schema);
  if (typeof s === 'boolean') return !s;
  const id = ctx.idOf(s);
  const known = ctx.emptyMemo.get(id);
  if (known !== undefined) return known;
  ctx.emptyMemo.set(id, false); // a cycle is assumed satisfiable
  ctx.step();
  const result = depth < 24 && computeEmpty(ctx, s, depth);
  ctx.emptyMemo.set(id, result);
  return result;
}

function computeEmpty(ctx: Ctx, s: Schema, depth: number): boolean {
  const f = ctx.facets(s);
  if (f.never) return true;
  const finite = finiteValues(f);
  if (finite !== undefined) return !finite.some((v) => ctx.evaluator.validate(s, v));
  if (allTypesEmpty(ctx, f, depth)) return true;
  if (f.anyOf.some((branches) => branches.every((b) => isEmpty(ctx, b, depth + 1)))) return true;
  if (f.oneOf.some((branches) => oneOfEmpty(ctx, branches, depth))) return true;
  return f.not.some((n) => isUniversal(ctx, n.schema) || baseWithin(ctx, s, n.schema, n.owner));
}

/** base ∧ ¬X is empty when base ⊆ X. */
function baseWithin(ctx: Ctx, s: Schema, x: Schema, owner: SchemaObject): boolean {
  const base = choice(s, owner, undefined);
  return (
    ctx.probe(() => includes(ctx, base, x, { readerPath: '', writerPath: '', instancePath: '' })) === 'yes'
  );
}

function oneOfEmpty(ctx: Ctx, branches: Schema[], depth: number): boolean {
  if (branches.every((b) => isEmpty(ctx, b, depth + 1))) return true;
  // every instance of a duplicated branch matches twice, so oneOf rejects it
  return branches.every((b, i) => branches.some((o, j) => j !== i && deepEqual(ctx.deref(b), ctx.deref(o))));
}

/** The finite set of values the facets allow, when they restrict to one (enum, const, null, boolean). */
export function finiteValues(f: Facets): unknown[] | undefined {
  if (f.enums.length > 0) {
    const [first, ...rest] = f.enums;
    return (first ?? []).filter((v) => rest.every((list) => list.some((e) => deepEqual(e, v))));
  }
  if (f.types === null || f.types.size === 0) return f.types === null ? undefined : [];
  const out: unknown[] = [];
  for (const t of f.types) {
    if (t === 'null') out.push(null);
    else if (t === 'boolean') out.push(true, false);
    else return undefined;
  }
  return out;
}

function allTypesEmpty(ctx: Ctx, f: Facets, depth: number): boolean {
  const types = f.types === null ? SLICE_TYPES : SLICE_TYPES.filter((t) => f.types?.has(t));
  const integerOnly = f.types !== null && f.types.has('integer') && !f.types.has('number');
  if (integerOnly && !sliceEmpty(ctx, f, 'integer', depth)) return false;
  return types.every((t) => sliceEmpty(ctx, f, t, depth));
}

/** Whether the facets admit no instance of type `t`. */
export function sliceEmpty(ctx: Ctx, f: Facets, t: JsonType, depth: number): boolean {
  switch (t) {
    case 'null':
    case 'boolean':
      return false;
    case 'integer':
    case 'number':
      return numbersEmpty(f, t === 'integer');
    case 'string':
      return f.minLength !== undefined && f.maxLength !== undefined && f.minLength > f.maxLength;
    case 'array':
      return arraysEmpty(ctx, f, depth);
    case 'object':
      return objectsEmpty(ctx, f, depth);
  }
}

/** Inclusive integer bounds of a range, or undefined for an open side. */
export function integerRange(min?: Bound, max?: Bound): [number | undefined, number | undefined] {
  const lo = min === undefined ? undefined : min.exclusive ? Math.floor(min.value) + 1 : Math.ceil(min.value);
  const hi = max === undefined ? undefined : max.exclusive ? Math.ceil(max.value) - 1 : Math.floor(max.value);
  return [lo, hi];
}

function numbersEmpty(f: Facets, integers: boolean): boolean {
  if (integers) {
    const [lo, hi] = integerRange(f.min, f.max);
    if (lo !== undefined && hi !== undefined && lo > hi) return true;
    return multiplesMissing(f, lo, hi, false, false);
  }
  if (f.min === undefined || f.max === undefined) return false;
  if (f.min.value > f.max.value) return true;
  if (f.min.value === f.max.value && (f.min.exclusive || f.max.exclusive)) return true;
  return multiplesMissing(f, f.min.value, f.max.value, f.min.exclusive, f.max.exclusive);
}

function multiplesMissing(f: Facets, lo?: number, hi?: number, loEx = false, hiEx = false): boolean {
  if (f.multipleOf.length !== 1 || lo === undefined || hi === undefined) return false;
  const m = f.multipleOf[0] as number;
  let first = Math.ceil(lo / m) * m;
  if (loEx && first === lo) first += m;
  return hiEx ? first >= hi : first > hi + 1e-12;
}

function arraysEmpty(ctx: Ctx, f: Facets, depth: number): boolean {
  if (f.minItems !== undefined && f.maxItems !== undefined && f.minItems > f.maxItems) return true;
  const min = Math.max(f.minItems ?? 0, ...f.contains.map((c) => c.min));
  for (let i = 0; i < Math.min(min, 64); i++) {
    if (isEmpty(ctx, allOf(...itemSchemasAt(f.arrays, i)), depth + 1)) return true;
  }
  return f.contains.some((c) => c.min > 0 && isEmpty(ctx, c.schema, depth + 1));
}

function objectsEmpty(ctx: Ctx, f: Facets, depth: number): boolean {
  if (f.maxProperties !== undefined && f.required.size > f.maxProperties) return true;
  if (f.minProperties !== undefined && f.maxProperties !== undefined && f.minProperties > f.maxProperties)
    return true;
  for (const name of f.required) {
    if (isEmpty(ctx, allOf(...valueSchemasFor(f.objects, name, compilePattern)), depth + 1)) return true;
  }
  return (f.minProperties ?? 0) > 0 && f.required.size === 0 && noKeyAllowed(ctx, f, depth);
}

function noKeyAllowed(ctx: Ctx, f: Facets, depth: number): boolean {
  const closed = f.objects.some((p) => p.additional === false && p.patterns.length === 0);
  if (!closed) return false;
  const names = new Set(f.objects.flatMap((p) => Object.keys(p.properties)));
  return [...names].every((n) =>
    isEmpty(ctx, allOf(...valueSchemasFor(f.objects, n, compilePattern)), depth + 1),
  );
}

/** Whether the schema accepts every instance (proven from its keywords). */
export function isUniversal(ctx: Ctx, schema: Schema): boolean {
  const s = ctx.deref(schema);
  if (typeof s === 'boolean') return s;
  const f = ctx.facets(s);
  if (f.never || f.enums.length > 0 || f.anyOf.length + f.oneOf.length + f.conditionals.length > 0) {
    return f.anyOf.length === 1 && f.oneOf.length === 0 && isUniversalAnyOf(ctx, f);
  }
  if (f.types !== null && !SLICE_TYPES.every((t) => f.types?.has(t))) return false;
  if (f.not.length > 0 && !f.not.every((n) => isEmpty(ctx, n.schema))) return false;
  return unconstrained(f);
}

function isUniversalAnyOf(ctx: Ctx, f: Facets): boolean {
  return unconstrained(f) && f.types === null && (f.anyOf[0] ?? []).some((b) => isUniversal(ctx, b));
}

function unconstrained(f: Facets): boolean {
  const zeroOk = [f.minLength, f.minItems, f.minProperties].every((b) => b === undefined || b === 0);
  const absent = [f.min, f.max, f.maxLength, f.maxItems, f.maxProperties].every((b) => b === undefined);
  const lists = [f.multipleOf, f.patterns, f.formats, f.contentEncoding, f.contentMediaType, f.contains];
  const objects = f.objects.every(
    (p) =>
      (p.additional === undefined || p.additional === true) &&
      p.patterns.length === 0 &&
      noProperties(p.properties),
  );
  return (
    zeroOk &&
    absent &&
    lists.every((l) => l.length === 0) &&
    !f.uniqueItems &&
    f.arrays.every((a) => a.prefix.length === 0 && (a.rest === undefined || a.rest === true)) &&
    objects &&
    f.required.size === 0 &&
    f.propertyNames.length === 0 &&
    Object.keys(f.dependentRequired).length === 0 &&
    f.dependentSchemas.length === 0
  );
}

function noProperties(properties: Record<string, Schema>): boolean {
  return Object.values(properties).every((p) => p === true);
}
