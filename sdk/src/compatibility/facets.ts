/** Schema facets: one schema's constraints grouped by instance type, with allOf flattened. */
import { isSchemaObject, type Schema, type Scope, type SchemaObject } from './schema-doc';

export const JSON_TYPES = ['null', 'boolean', 'integer', 'number', 'string', 'array', 'object'] as const;
export type JsonType = (typeof JSON_TYPES)[number];

export interface Bound {
  value: number;
  exclusive: boolean;
}

export interface ObjectPart {
  properties: Record<string, Schema>;
  patterns: [string, Schema][];
  /** undefined: any value is allowed for other keys. */
  additional?: Schema;
  unevaluated?: Schema;
}

export interface ArrayPart {
  prefix: Schema[];
  /** undefined: any item is allowed after the prefix. */
  rest?: Schema;
  /** Items are written as a list (`items: {}`) rather than a tuple. */
  listForm: boolean;
  unevaluated?: Schema;
}

export interface Facets {
  never: boolean;
  /** null: every type. `number` includes integers. */
  types: Set<JsonType> | null;
  enums: readonly unknown[][];
  min?: Bound;
  max?: Bound;
  multipleOf: readonly number[];
  minLength?: number;
  maxLength?: number;
  patterns: readonly string[];
  formats: readonly string[];
  contentEncoding: readonly string[];
  contentMediaType: readonly string[];
  minItems?: number;
  maxItems?: number;
  uniqueItems: boolean;
  arrays: readonly ArrayPart[];
  contains: readonly { schema: Schema; min: number; max?: number }[];
  objects: readonly ObjectPart[];
  required: ReadonlySet<string>;
  minProperties?: number;
  maxProperties?: number;
  propertyNames: readonly Schema[];
  dependentRequired: Readonly<Record<string, string[]>>;
  dependentSchemas: readonly [string, Schema][];
  anyOf: readonly Schema[][];
  oneOf: readonly Schema[][];
  not: readonly { schema: Schema; owner: SchemaObject }[];
  conditionals: readonly { if: Schema; then?: Schema; else?: Schema; owner: SchemaObject }[];
}

/** Applicators left out of a synthesized schema (one branch of a writer's disjunction is taken). */
interface Skip {
  groups: Set<unknown[]>;
  owners: Set<SchemaObject>;
}
const SKIPS = new WeakMap<SchemaObject, Skip>();
const NO_SKIP: Skip = { groups: new Set(), owners: new Set() };

/**
 * `base` with one applicator taken out and `branch` added: a piece of a split disjunction.
 * `group` is the anyOf/oneOf array, or the schema object owning a `not` or `if`.
 */
export function choice(
  base: Schema,
  group: unknown[] | SchemaObject,
  branch: Schema | undefined,
): SchemaObject {
  const parts: Schema[] = branch === undefined ? [base] : [base, branch];
  const out: SchemaObject = { allOf: parts };
  const inherited = typeof base === 'object' ? (SKIPS.get(base) ?? NO_SKIP) : NO_SKIP;
  const skip: Skip = { groups: new Set(inherited.groups), owners: new Set(inherited.owners) };
  if (Array.isArray(group)) skip.groups.add(group);
  else skip.owners.add(group);
  SKIPS.set(out, skip);
  return out;
}

/** Whether the engine built this node as a piece of a split disjunction (it hides applicators). */
export function isChoice(node: SchemaObject): boolean {
  return SKIPS.has(node);
}

/**
 * Facets start out sharing these empty lists (most stay empty); a collector replaces a list when it
 * adds to it, so a facets object is never written through a shared one.
 */
const NONE: readonly never[] = Object.freeze([]);
const NO_NAMES: ReadonlySet<string> = new Set<string>();
const NO_DEPENDENCIES: Readonly<Record<string, string[]>> = Object.freeze({});

/** `list` with `item` after its members: a new array, as lists may be shared. */
const plus = <T>(list: readonly T[], item: T): readonly T[] => [...list, item];

function emptyFacets(): Facets {
  return {
    never: false,
    types: null,
    enums: NONE,
    multipleOf: NONE,
    patterns: NONE,
    formats: NONE,
    contentEncoding: NONE,
    contentMediaType: NONE,
    uniqueItems: false,
    arrays: NONE,
    contains: NONE,
    objects: NONE,
    required: NO_NAMES,
    propertyNames: NONE,
    dependentRequired: NO_DEPENDENCIES,
    dependentSchemas: NONE,
    anyOf: NONE,
    oneOf: NONE,
    not: NONE,
    conditionals: NONE,
  };
}

// weak: a check synthesizes many short-lived schemas, which must not outlive their use
const cache = new WeakMap<Scope, WeakMap<SchemaObject, Facets>>();

/** Facets of a (dereferenced) schema; cached per scope and schema object. */
export function facetsOf(doc: Scope, schema: Schema): Facets {
  const target = doc.deref(schema);
  if (typeof target === 'boolean') return { ...emptyFacets(), never: !target };
  let perDoc = cache.get(doc);
  if (perDoc === undefined) cache.set(doc, (perDoc = new WeakMap<SchemaObject, Facets>()));
  const hit = perDoc.get(target);
  if (hit !== undefined) return hit;
  const facets = emptyFacets();
  collect(doc, target, facets, 0, SKIPS.get(target) ?? NO_SKIP);
  perDoc.set(target, facets);
  return facets;
}

function collect(doc: Scope, raw: Schema, f: Facets, depth: number, skip: Skip): void {
  const s = doc.deref(raw);
  if (s === true) return;
  if (s === false || depth > 32) {
    f.never = f.never || s === false;
    return;
  }
  const groups = keywordGroupsOf(s);
  if (groups & TYPES) collectTypes(s, f);
  if (groups & SCALARS) collectScalars(s, f);
  if (groups & ARRAYS) collectArray(s, f);
  if (groups & OBJECTS) collectObject(s, f);
  if (groups & APPLICATORS) collectApplicators(s, f, skip);
  if (groups & ALL_OF && Array.isArray(s.allOf))
    for (const part of s.allOf as Schema[]) collect(doc, part, f, depth + 1, withSkips(part, skip));
}

const TYPES = 1;
const SCALARS = 2;
const ARRAYS = 4;
const OBJECTS = 8;
const APPLICATORS = 16;
const ALL_OF = 32;

/**
 * Which collector reads each keyword: a collector none of whose keywords a schema has would change
 * nothing, so it is not run (most subschemas hold two or three keywords, and each keyword a
 * collector looks up and does not find costs a lookup that misses on an object of its own shape).
 */
const KEYWORD_GROUPS = new Map<string, number>([
  ...['type', 'const', 'enum'].map((k) => [k, TYPES] as const),
  ...[
    'minimum',
    'maximum',
    'exclusiveMinimum',
    'exclusiveMaximum',
    'multipleOf',
    'minLength',
    'maxLength',
    'pattern',
    'format',
    'contentEncoding',
    'contentMediaType',
  ].map((k) => [k, SCALARS] as const),
  ...['minItems', 'maxItems', 'uniqueItems', 'prefixItems', 'items', 'unevaluatedItems', 'contains'].map(
    (k) => [k, ARRAYS] as const,
  ),
  ...[
    'required',
    'minProperties',
    'maxProperties',
    'propertyNames',
    'properties',
    'patternProperties',
    'additionalProperties',
    'unevaluatedProperties',
    'dependencies',
    'dependentRequired',
    'dependentSchemas',
  ].map((k) => [k, OBJECTS] as const),
  ...['anyOf', 'oneOf', 'not', 'if'].map((k) => [k, APPLICATORS] as const),
  ['allOf', ALL_OF],
]);

function keywordGroupsOf(s: SchemaObject): number {
  let groups = 0;
  for (const key of Object.keys(s)) groups |= KEYWORD_GROUPS.get(key) ?? 0;
  return groups;
}

/** A nested synthesized piece keeps the applicators it left out. */
function withSkips(part: Schema, skip: Skip): Skip {
  const own = typeof part === 'object' ? SKIPS.get(part) : undefined;
  if (own === undefined) return skip;
  return {
    groups: new Set([...skip.groups, ...own.groups]),
    owners: new Set([...skip.owners, ...own.owners]),
  };
}

function collectTypes(s: SchemaObject, f: Facets): void {
  const type = s.type;
  const list = typeof type === 'string' ? [type] : Array.isArray(type) ? (type as unknown[]) : undefined;
  if (list !== undefined) {
    const own = new Set<JsonType>();
    for (const t of list) if (JSON_TYPES.includes(t as JsonType)) own.add(t as JsonType);
    if (own.has('number')) own.add('integer');
    f.types = f.types === null ? own : new Set([...f.types].filter((t) => own.has(t)));
  }
  if ('const' in s) f.enums = plus(f.enums, [s.const]);
  if (Array.isArray(s.enum)) f.enums = plus(f.enums, s.enum as unknown[]);
}

function tighter(a: Bound | undefined, b: Bound, isMax: boolean): Bound {
  if (a === undefined) return b;
  if (a.value === b.value) return { value: a.value, exclusive: a.exclusive || b.exclusive };
  return (isMax ? b.value < a.value : b.value > a.value) ? b : a;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function minOf(a: number | undefined, b: unknown): number | undefined {
  const v = num(b);
  return v === undefined ? a : a === undefined ? v : Math.min(a, v);
}

function maxOf(a: number | undefined, b: unknown): number | undefined {
  const v = num(b);
  return v === undefined ? a : a === undefined ? v : Math.max(a, v);
}

function collectScalars(s: SchemaObject, f: Facets): void {
  const minimum = num(s.minimum);
  const maximum = num(s.maximum);
  // draft-04 spells exclusivity as a boolean beside minimum/maximum; later drafts as a number
  if (minimum !== undefined)
    f.min = tighter(f.min, { value: minimum, exclusive: s.exclusiveMinimum === true }, false);
  if (maximum !== undefined)
    f.max = tighter(f.max, { value: maximum, exclusive: s.exclusiveMaximum === true }, true);
  const exMin = num(s.exclusiveMinimum);
  const exMax = num(s.exclusiveMaximum);
  if (exMin !== undefined) f.min = tighter(f.min, { value: exMin, exclusive: true }, false);
  if (exMax !== undefined) f.max = tighter(f.max, { value: exMax, exclusive: true }, true);
  const multipleOf = num(s.multipleOf);
  if (multipleOf !== undefined && multipleOf > 0) f.multipleOf = plus(f.multipleOf, multipleOf);
  f.minLength = maxOf(f.minLength, s.minLength);
  f.maxLength = minOf(f.maxLength, s.maxLength);
  if (typeof s.pattern === 'string') f.patterns = plus(f.patterns, s.pattern);
  if (typeof s.format === 'string') f.formats = plus(f.formats, s.format);
  if (typeof s.contentEncoding === 'string') f.contentEncoding = plus(f.contentEncoding, s.contentEncoding);
  if (typeof s.contentMediaType === 'string')
    f.contentMediaType = plus(f.contentMediaType, s.contentMediaType);
}

function collectArray(s: SchemaObject, f: Facets): void {
  f.minItems = maxOf(f.minItems, s.minItems);
  f.maxItems = minOf(f.maxItems, s.maxItems);
  if (s.uniqueItems === true) f.uniqueItems = true;
  const part = arrayPart(s);
  if (part !== undefined) f.arrays = plus(f.arrays, part);
  if (s.contains !== undefined && typeof s.contains !== 'number') {
    const min = num(s.minContains) ?? 1;
    f.contains = plus(f.contains, { schema: s.contains as Schema, min, max: num(s.maxContains) });
  }
}

function arrayPart(s: SchemaObject): ArrayPart | undefined {
  const unevaluated = s.unevaluatedItems as Schema | undefined;
  if (Array.isArray(s.prefixItems)) {
    return {
      prefix: s.prefixItems as Schema[],
      rest: s.items as Schema | undefined,
      listForm: false,
      unevaluated,
    };
  }
  if (Array.isArray(s.items)) {
    const rest = s.additionalItems as Schema | undefined;
    return { prefix: s.items as Schema[], rest, listForm: false, unevaluated };
  }
  if (s.items !== undefined) return { prefix: [], rest: s.items as Schema, listForm: true, unevaluated };
  if (unevaluated !== undefined) return { prefix: [], rest: undefined, listForm: true, unevaluated };
  return undefined;
}

function collectObject(s: SchemaObject, f: Facets): void {
  if (Array.isArray(s.required)) {
    const names = s.required.filter((name): name is string => typeof name === 'string');
    if (names.length > 0) f.required = new Set([...f.required, ...names]);
  }
  f.minProperties = maxOf(f.minProperties, s.minProperties);
  f.maxProperties = minOf(f.maxProperties, s.maxProperties);
  if (s.propertyNames !== undefined) f.propertyNames = plus(f.propertyNames, s.propertyNames as Schema);
  const hasPart =
    isSchemaObject(s.properties) ||
    isSchemaObject(s.patternProperties) ||
    s.additionalProperties !== undefined ||
    s.unevaluatedProperties !== undefined;
  if (hasPart) {
    f.objects = plus(f.objects, {
      properties: isSchemaObject(s.properties) ? (s.properties as Record<string, Schema>) : {},
      patterns: isSchemaObject(s.patternProperties)
        ? (Object.entries(s.patternProperties) as [string, Schema][])
        : [],
      additional: s.additionalProperties as Schema | undefined,
      unevaluated: s.unevaluatedProperties as Schema | undefined,
    });
  }
  collectDependencies(s, f);
}

function collectDependencies(s: SchemaObject, f: Facets): void {
  for (const key of ['dependencies', 'dependentRequired', 'dependentSchemas']) {
    const map = s[key];
    if (!isSchemaObject(map)) continue;
    for (const [name, dep] of Object.entries(map)) {
      if (Array.isArray(dep)) {
        const names = dep.filter((d): d is string => typeof d === 'string');
        f.dependentRequired = {
          ...f.dependentRequired,
          [name]: [...(f.dependentRequired[name] ?? []), ...names],
        };
      } else if (typeof dep === 'boolean' || isSchemaObject(dep))
        f.dependentSchemas = plus(f.dependentSchemas, [name, dep]);
    }
  }
}

function collectApplicators(s: SchemaObject, f: Facets, skip: Skip): void {
  if (Array.isArray(s.anyOf) && !skip.groups.has(s.anyOf)) f.anyOf = plus(f.anyOf, s.anyOf as Schema[]);
  if (Array.isArray(s.oneOf) && !skip.groups.has(s.oneOf)) f.oneOf = plus(f.oneOf, s.oneOf as Schema[]);
  if (skip.owners.has(s)) return;
  if (s.not !== undefined) f.not = plus(f.not, { schema: s.not as Schema, owner: s });
  if (s.if !== undefined) {
    const then = s.then as Schema | undefined;
    f.conditionals = plus(f.conditionals, {
      if: s.if as Schema,
      then,
      else: s.else as Schema | undefined,
      owner: s,
    });
  }
}

/** Whether the facets allow instances of this type at all (before looking at other keywords). */
export function allowsType(f: Facets, t: JsonType): boolean {
  return !f.never && (f.types === null || f.types.has(t));
}

/** The type an instance belongs to (`integer` for whole numbers). */
export function typeOfValue(v: unknown): JsonType {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  switch (typeof v) {
    case 'boolean':
      return 'boolean';
    case 'number':
      return Number.isInteger(v) ? 'integer' : 'number';
    case 'string':
      return 'string';
    default:
      return 'object';
  }
}

/** The value schemas that apply to one named key, across all object parts (a conjunction). */
export function valueSchemasFor(
  parts: readonly ObjectPart[],
  key: string,
  regex: (p: string) => RegExp | null,
): Schema[] {
  const out: Schema[] = [];
  for (const part of parts) {
    if (Object.prototype.hasOwnProperty.call(part.properties, key)) {
      out.push(part.properties[key] as Schema);
      continue;
    }
    let matched = false;
    for (const [pattern, schema] of part.patterns) {
      const re = regex(pattern);
      if (re === null || re.test(key)) {
        out.push(schema);
        matched = matched || re !== null;
      }
    }
    if (!matched && part.additional !== undefined) out.push(part.additional);
  }
  return out;
}

/** The schemas of items at one index, across all array parts (a conjunction). */
export function itemSchemasAt(parts: readonly ArrayPart[], index: number): Schema[] {
  const out: Schema[] = [];
  for (const part of parts) {
    const s = index < part.prefix.length ? part.prefix[index] : part.rest;
    if (s !== undefined) out.push(s);
  }
  return out;
}
