/**
 * Structural identity of plain schema objects within one check: two nodes get the same shape id
 * only when they are deeply equal. Plain means the node's meaning cannot depend on where it sits:
 * no reference or base-URI keywords, JSON values only, not a synthesized piece of a disjunction.
 * Equal shapes let results that carry no locations (a probe's verdict, emptiness, disjointness)
 * be reused across copies of the same subschema, e.g. the branches of nested `oneOf`s.
 */
import { isSchemaObject, type Schema, type SchemaObject } from './schema-doc';

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
const SCHEMA_KEYWORDS = new Set([
  'additionalItems',
  'additionalProperties',
  'contains',
  'not',
  'if',
  'then',
  'else',
  'propertyNames',
  'unevaluatedItems',
  'unevaluatedProperties',
  'contentSchema',
  'items',
]);
const ARRAY_KEYWORDS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items']);
const MAP_KEYWORDS = new Set([
  'properties',
  'patternProperties',
  '$defs',
  'definitions',
  'dependentSchemas',
  'dependencies',
]);

const NOT_PLAIN = 0;
const TRUE_SHAPE = 1;
const FALSE_SHAPE = 2;

export class Shapes {
  private readonly ids = new WeakMap<SchemaObject, number>();
  private readonly interned = new Map<string, number>();

  /** @param synthesized whether a node was built by the engine with hidden state (left-out applicators) */
  constructor(private readonly synthesized: (node: SchemaObject) => boolean) {}

  /** The shape id, or undefined when the node is not plain. */
  of(schema: Schema): number | undefined {
    const id = this.idOf(schema);
    return id === NOT_PLAIN ? undefined : id;
  }

  private idOf(schema: unknown): number {
    if (schema === true) return TRUE_SHAPE;
    if (schema === false) return FALSE_SHAPE;
    if (!isSchemaObject(schema) || !plainObject(schema)) return NOT_PLAIN;
    let id = this.ids.get(schema);
    if (id !== undefined) return id;
    this.ids.set(schema, NOT_PLAIN); // a cycle through plain objects is not plain
    const key = this.keyOf(schema);
    if (key === undefined) id = NOT_PLAIN;
    else {
      id = this.interned.get(key);
      if (id === undefined) this.interned.set(key, (id = this.interned.size + 3));
    }
    this.ids.set(schema, id);
    return id;
  }

  /** Keys in sorted order; schema positions as `#id`, other values as canonical JSON. */
  private keyOf(schema: SchemaObject): string | undefined {
    if (this.synthesized(schema)) return undefined;
    const parts: string[] = [];
    for (const key of Object.keys(schema).sort()) {
      if (PLACE_DEPENDENT.has(key)) return undefined;
      const value = schema[key];
      let text: string | undefined;
      if (Array.isArray(value) && ARRAY_KEYWORDS.has(key)) text = this.list(value);
      else if (isSchemaObject(value) && MAP_KEYWORDS.has(key)) text = this.map(value);
      else if (SCHEMA_KEYWORDS.has(key) && (isSchemaObject(value) || typeof value === 'boolean'))
        text = this.child(value);
      else text = canonical(value);
      if (text === undefined) return undefined;
      parts.push(`${JSON.stringify(key)}:${text}`);
    }
    return `{${parts.join(',')}}`;
  }

  private child(value: unknown): string | undefined {
    if (isSchemaObject(value) || typeof value === 'boolean') {
      const id = this.idOf(value);
      return id === NOT_PLAIN ? undefined : `#${id}`;
    }
    return canonical(value);
  }

  private list(values: unknown[]): string | undefined {
    const parts: string[] = [];
    for (const v of values) {
      const text = this.child(v);
      if (text === undefined) return undefined;
      parts.push(text);
    }
    return `[${parts.join(',')}]`;
  }

  private map(values: SchemaObject): string | undefined {
    const parts: string[] = [];
    for (const key of Object.keys(values).sort()) {
      const text = this.child(values[key]);
      if (text === undefined) return undefined;
      parts.push(`${JSON.stringify(key)}:${text}`);
    }
    return `{${parts.join(',')}}`;
  }
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
