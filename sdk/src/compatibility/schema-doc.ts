import { SUBSCHEMA_ARRAY_KEYWORDS, SUBSCHEMA_KEYWORDS, SUBSCHEMA_MAP_KEYWORDS } from '../schema-keywords';
import { pointerToken, tokenValue } from '../json-pointer';
/** A JSON Schema document with its local references indexed; never fetches anything. */

export type Schema = boolean | SchemaObject;
export interface SchemaObject {
  [keyword: string]: unknown;
}

/** Reference problems are expected input failures, reported as results by the caller. */
export class RefProblem extends Error {
  constructor(
    readonly code: 'REF_NOT_ALLOWED' | 'REF_NOT_FOUND',
    readonly schemaPath: string,
  ) {
    super(code === 'REF_NOT_ALLOWED' ? 'only local $ref is allowed' : 'local $ref target not found');
  }
}

const SCHEMA_KEYWORDS = SUBSCHEMA_KEYWORDS;
const ARRAY_KEYWORDS = SUBSCHEMA_ARRAY_KEYWORDS;
const MAP_KEYWORDS = SUBSCHEMA_MAP_KEYWORDS;

export function isSchemaObject(value: unknown): value is SchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isSchema(value: unknown): value is Schema {
  return typeof value === 'boolean' || isSchemaObject(value);
}

/** Index of one document: `$id`, `$anchor` and draft-04 `id` names, plus pointer lookup. */
export class SchemaDoc {
  private readonly byId = new Map<string, Schema>();
  // strong maps: a document lives only as long as its check, and they are faster than weak ones
  private readonly derefCache = new Map<SchemaObject, Schema>();
  private readonly paths = new Map<SchemaObject, string>();

  constructor(
    readonly root: Schema,
    private readonly scope: Scope,
  ) {
    this.index(root, '');
  }

  /** JSON Pointer of a schema object inside this document, when it has one. */
  pathOf(schema: Schema): string | undefined {
    return isSchemaObject(schema) ? this.paths.get(schema) : undefined;
  }

  /** The schema with its `$ref` applied; siblings of `$ref` are kept (as ajv does). */
  deref(schema: Schema, depth = 0): Schema {
    if (!isSchemaObject(schema)) return schema;
    const ref = schema.$ref ?? schema.$recursiveRef ?? schema.$dynamicRef;
    if (typeof ref !== 'string') return schema;
    const cached = this.derefCache.get(schema);
    if (cached !== undefined) return cached;
    if (depth > 64) throw new RefProblem('REF_NOT_FOUND', this.pathOf(schema) ?? '');
    const target = this.resolve(ref, this.pathOf(schema) ?? '');
    const siblings = Object.keys(schema).filter((k) => !REF_KEYWORDS.has(k) && !ANNOTATIONS.has(k));
    let result: Schema;
    if (siblings.length === 0) result = this.deref(target, depth + 1);
    else {
      const rest: SchemaObject = {};
      for (const k of siblings) rest[k] = schema[k];
      this.paths.set(rest, this.pathOf(schema) ?? '');
      this.scope.claim(rest, this);
      result = { allOf: [target, rest] };
    }
    this.derefCache.set(schema, result);
    return result;
  }

  private resolve(ref: string, at: string): Schema {
    const hash = ref.indexOf('#');
    const base = hash < 0 ? ref : ref.slice(0, hash);
    const fragment = hash < 0 ? '' : ref.slice(hash + 1);
    let doc: Schema | undefined = this.root;
    if (base !== '') {
      doc = this.byId.get(base);
      if (doc === undefined) throw new RefProblem('REF_NOT_ALLOWED', at);
    }
    if (fragment === '' || fragment.startsWith('/')) return this.pointer(doc, fragment, at);
    const anchored = this.byId.get(`#${fragment}`);
    if (anchored === undefined) throw new RefProblem('REF_NOT_FOUND', at);
    return anchored;
  }

  private pointer(doc: Schema, fragment: string, at: string): Schema {
    let node: unknown = doc;
    for (const raw of fragment.split('/').slice(1)) {
      const key = tokenValue(decodeURIComponent(raw));
      if (Array.isArray(node)) node = node[Number(key)];
      else if (isSchemaObject(node) && Object.prototype.hasOwnProperty.call(node, key)) node = node[key];
      else throw new RefProblem('REF_NOT_FOUND', at);
    }
    if (!isSchema(node)) throw new RefProblem('REF_NOT_FOUND', at);
    return node;
  }

  private index(schema: Schema, path: string): void {
    if (!isSchemaObject(schema) || this.paths.has(schema)) return;
    this.paths.set(schema, path);
    this.scope.claim(schema, this);
    // one pass over the node's own keys; children are then walked in the fixed keyword order
    let named = false;
    const found: [number, string][] = [];
    for (const key of Object.keys(schema)) {
      if (ID_KEYWORDS.has(key)) named = true;
      const rank = key === 'items' && Array.isArray(schema.items) ? ITEMS_LIST_RANK : RANKS.get(key);
      if (rank !== undefined) found.push([rank, key]);
    }
    if (named) this.name(schema);
    if (found.length > 1) found.sort((x, y) => x[0] - y[0]);
    for (const [rank, key] of found) this.indexKeyword(schema, key, rank, path);
  }

  private name(schema: SchemaObject): void {
    for (const key of ID_KEYWORDS) {
      const name = schema[key];
      if (typeof name !== 'string' || (key === 'id' && typeof schema.type === 'object')) continue;
      const id = key.endsWith('nchor') ? `#${name}` : stripEmptyFragment(name);
      if (!this.byId.has(id)) this.byId.set(id, schema);
    }
  }

  private indexKeyword(schema: SchemaObject, key: string, rank: number, path: string): void {
    const value = schema[key];
    if (rank < ARRAY_RANK) {
      if (isSchemaObject(value) && !this.paths.has(value)) this.index(value, `${path}/${key}`);
    } else if (rank < MAP_RANK) {
      if (!Array.isArray(value)) return;
      for (let i = 0; i < value.length; i++) {
        const child: unknown = value[i];
        if (isSchemaObject(child) && !this.paths.has(child)) this.index(child, `${path}/${key}/${i}`);
      }
    } else if (isSchemaObject(value)) {
      for (const name of Object.keys(value)) {
        const child = value[name];
        if (isSchemaObject(child) && !this.paths.has(child))
          this.index(child, `${path}/${key}/${pointerToken(name)}`);
      }
    }
  }
}

const ID_KEYWORDS = new Set(['$id', 'id', '$anchor', '$dynamicAnchor']);
/** Walk order of the keywords holding subschemas: single schemas, then lists, then maps. */
const ARRAY_RANK = 100;
const MAP_RANK = 200;
const RANKS = new Map<string, number>([
  ...SCHEMA_KEYWORDS.map((k, i): [string, number] => [k, i]),
  ...ARRAY_KEYWORDS.filter((k) => k !== 'items').map((k, i): [string, number] => [k, ARRAY_RANK + i]),
  ...MAP_KEYWORDS.map((k, i): [string, number] => [k, MAP_RANK + i]),
]);
const ITEMS_LIST_RANK = ARRAY_RANK + ARRAY_KEYWORDS.indexOf('items');

const REF_KEYWORDS = new Set(['$ref', '$recursiveRef', '$dynamicRef', '$schema', '$id', 'id', '$comment']);
export const ANNOTATIONS = new Set([
  'title',
  'description',
  'default',
  'examples',
  'example',
  'deprecated',
  'readOnly',
  'writeOnly',
  '$comment',
  '$schema',
  '$id',
  '$anchor',
  '$dynamicAnchor',
  '$recursiveAnchor',
  '$vocabulary',
  '$defs',
  'definitions',
]);

function stripEmptyFragment(id: string): string {
  return id.endsWith('#') ? id.slice(0, -1) : id;
}

/** The documents of one check; resolves a schema object's `$ref` in the document it came from. */
export class Scope {
  private readonly owners = new Map<SchemaObject, SchemaDoc>();

  add(root: unknown): SchemaDoc {
    return new SchemaDoc(isSchema(root) ? root : false, this);
  }

  claim(schema: SchemaObject, doc: SchemaDoc): void {
    if (!this.owners.has(schema)) this.owners.set(schema, doc);
  }

  deref(schema: Schema): Schema {
    if (!isSchemaObject(schema)) return schema;
    const doc = this.owners.get(schema);
    return doc === undefined ? schema : doc.deref(schema);
  }

  pathOf(schema: Schema): string | undefined {
    if (!isSchemaObject(schema)) return undefined;
    return this.owners.get(schema)?.pathOf(schema);
  }
}
