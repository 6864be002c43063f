/**
 * Structural identity of plain schema objects within one check: two nodes get the same shape id
 * only when they are deeply equal. Plain means the node's meaning cannot depend on where it sits:
 * no reference or base-URI keywords, JSON values only, not a synthesized piece of a disjunction.
 * Equal shapes let results that carry no locations (a probe's verdict, emptiness, disjointness)
 * be reused across copies of the same subschema, e.g. the branches of nested `oneOf`s.
 */
import { isChoice } from './facets';
import { isSchema, isSchemaObject, type Schema, type Scope, type SchemaObject } from './schema-doc';
import { SUBSCHEMA_ARRAY_KEYWORDS, SUBSCHEMA_KEYWORDS, SUBSCHEMA_MAP_KEYWORDS } from '../schema-keywords';

const PLACE_DEPENDENT = new Set([
  '$ref',
  '$recursiveRef',
  '$dynamicRef',
  '$id',
  'id',
  '$anchor',
  '$dynamicAnchor',
  '$recursiveAnchor',
]);
const SCHEMA_KEYWORDS = new Set<string>(SUBSCHEMA_KEYWORDS);
const ARRAY_KEYWORDS = new Set<string>(SUBSCHEMA_ARRAY_KEYWORDS);
const MAP_KEYWORDS = new Set<string>(SUBSCHEMA_MAP_KEYWORDS);

const NOT_PLAIN = 0;
const TRUE_SHAPE = 1;
const FALSE_SHAPE = 2;

const SHAPES = new WeakMap<Scope, Shapes>();

/** The shape ids of one check, shared by all its comparisons. */
export function shapesOf(scope: Scope): Shapes {
  let shapes = SHAPES.get(scope);
  if (shapes === undefined) SHAPES.set(scope, (shapes = new Shapes(isChoice)));
  return shapes;
}

/** Interning trie: a node's content is a token sequence; equal sequences end at the same node. */
interface Trie {
  next: Map<string | number, Trie>;
  id: number;
}

// structure tokens are negative numbers; subschemas are their (positive) shape ids
const LIST_START = -1;
const LIST_END = -2;
const MAP_START = -3;
const MAP_END = -4;
/** The next token is a string value as it is (other values are canonical JSON text). */
const STRING_VALUE = -5;

function step(t: Trie, token: string | number): Trie {
  let next = t.next.get(token);
  if (next === undefined) t.next.set(token, (next = { next: new Map(), id: 0 }));
  return next;
}

export class Shapes {
  // weak: probes also shape short-lived synthesized schemas
  private readonly ids = new WeakMap<SchemaObject, number>();
  private readonly root: Trie = { next: new Map(), id: 0 };
  private count = FALSE_SHAPE + 1;

  /** @param synthesized whether a node was built by the engine with hidden state (left-out applicators) */
  constructor(private readonly synthesized: (node: SchemaObject) => boolean) {}

  /** The shape id, or undefined when the node is not plain. */
  of(schema: Schema): number | undefined {
    const id = this.idOf(schema);
    return id === NOT_PLAIN ? undefined : id;
  }

  /**
   * No reference can be met inside: a plain node, or an engine-built piece made of such nodes. A
   * comparison of reference-free schemas cannot fail on a broken `$ref`, so it may be skipped.
   */
  referenceFree(schema: Schema): boolean {
    if (this.of(schema) !== undefined) return true;
    if (!isSchemaObject(schema) || !this.synthesized(schema)) return false;
    const parts = schema.allOf;
    return Array.isArray(parts) && parts.every((p) => isSchema(p) && this.referenceFree(p));
  }

  private idOf(schema: unknown): number {
    if (schema === true) return TRUE_SHAPE;
    if (schema === false) return FALSE_SHAPE;
    if (!isSchemaObject(schema) || !plainObject(schema)) return NOT_PLAIN;
    let id = this.ids.get(schema);
    if (id !== undefined) return id;
    this.ids.set(schema, NOT_PLAIN); // a cycle through plain objects is not plain
    const end = this.walk(schema);
    if (end === undefined) id = NOT_PLAIN;
    else {
      if (end.id === 0) end.id = this.count++;
      id = end.id;
    }
    this.ids.set(schema, id);
    return id;
  }

  /** Keys in sorted order, each followed by its value: subschemas by id, other values as JSON. */
  private walk(schema: SchemaObject): Trie | undefined {
    if (this.synthesized(schema)) return undefined;
    let t: Trie | undefined = this.root;
    const keys = Object.keys(schema);
    if (keys.length > 1) keys.sort();
    for (const key of keys) {
      if (PLACE_DEPENDENT.has(key)) return undefined;
      t = step(t, key);
      const value = schema[key];
      if (Array.isArray(value) && ARRAY_KEYWORDS.has(key)) t = this.list(t, value);
      else if (isSchemaObject(value) && MAP_KEYWORDS.has(key)) t = this.map(t, value);
      else if (SCHEMA_KEYWORDS.has(key)) t = this.value(t, value);
      else t = literal(t, value);
      if (t === undefined) return undefined;
    }
    return t;
  }

  /** A value in a schema position: a subschema by id, anything else as a literal. */
  private value(t: Trie, value: unknown): Trie | undefined {
    if (!isSchemaObject(value) && typeof value !== 'boolean') return literal(t, value);
    const id = this.idOf(value);
    return id === NOT_PLAIN ? undefined : step(t, id);
  }

  private list(start: Trie, values: unknown[]): Trie | undefined {
    let t: Trie | undefined = step(start, LIST_START);
    for (const v of values) {
      t = this.value(t, v);
      if (t === undefined) return undefined;
    }
    return step(t, LIST_END);
  }

  private map(start: Trie, values: SchemaObject): Trie | undefined {
    let t: Trie | undefined = step(start, MAP_START);
    const keys = Object.keys(values);
    if (keys.length > 1) keys.sort();
    for (const key of keys) {
      t = this.value(step(t, key), values[key]);
      if (t === undefined) return undefined;
    }
    return step(t, MAP_END);
  }
}

function literal(t: Trie, value: unknown): Trie | undefined {
  if (typeof value === 'string') return step(step(t, STRING_VALUE), value);
  const text = canonical(value);
  return text === undefined ? undefined : step(t, text);
}

function plainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Canonical JSON (sorted keys) of a JSON value; undefined for anything JSON cannot say exactly. */
function canonical(value: unknown, depth = 0): string | undefined {
  if (depth > 64) return undefined;
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : undefined;
  if (Array.isArray(value)) {
    const parts: string[] = [];
    for (const v of value) {
      const text = canonical(v, depth + 1);
      if (text === undefined) return undefined;
      parts.push(text);
    }
    return `[${parts.join(',')}]`;
  }
  if (typeof value === 'object' && plainObject(value)) {
    const record = value as Record<string, unknown>;
    const parts: string[] = [];
    for (const key of Object.keys(record).sort()) {
      const text = canonical(record[key], depth + 1);
      if (text === undefined) return undefined;
      parts.push(`${JSON.stringify(key)}:${text}`);
    }
    return `{${parts.join(',')}}`;
  }
  return undefined;
}
