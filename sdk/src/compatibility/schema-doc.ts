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

const SCHEMA_KEYWORDS = [
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
] as const;
const ARRAY_KEYWORDS = ['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items'] as const;
const MAP_KEYWORDS = [
  'properties',
  'patternProperties',
  '$defs',
  'definitions',
  'dependentSchemas',
  'dependencies',
] as const;

export function isSchemaObject(value: unknown): value is SchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isSchema(value: unknown): value is Schema {
  return typeof value === 'boolean' || isSchemaObject(value);
}

export function escapePointer(segment: string): string {
  if (!segment.includes('~') && !segment.includes('/')) return segment;
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function unescapePointer(segment: string): string {
  return decodeURIComponent(segment).replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Index of one document: `$id`, `$anchor` and draft-04 `id` names, plus pointer lookup. */
export class SchemaDoc {
  private readonly byId = new Map<string, Schema>();
  private readonly derefCache = new WeakMap<SchemaObject, Schema>();
  private readonly paths = new WeakMap<SchemaObject, string>();

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
      const key = unescapePointer(raw);
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
    for (const key of ['$id', 'id', '$anchor', '$dynamicAnchor']) {
      const name = schema[key];
      if (typeof name !== 'string' || (key === 'id' && typeof schema.type === 'object')) continue;
      const id = key.endsWith('nchor') ? `#${name}` : stripEmptyFragment(name);
      if (!this.byId.has(id)) this.byId.set(id, schema);
    }
    // same walk as childSchemas, without building the list or the paths of nodes already indexed
    for (const key of SCHEMA_KEYWORDS) {
      const child = schema[key];
      if (isSchemaObject(child) && !this.paths.has(child)) this.index(child, `${path}/${key}`);
    }
    for (const key of ARRAY_KEYWORDS) {
      const list = schema[key];
      if (!Array.isArray(list)) continue;
      for (let i = 0; i < list.length; i++) {
        const child: unknown = list[i];
        if (isSchemaObject(child) && !this.paths.has(child)) this.index(child, `${path}/${key}/${i}`);
      }
    }
    for (const key of MAP_KEYWORDS) {
      const map = schema[key];
      if (!isSchemaObject(map)) continue;
      for (const name of Object.keys(map)) {
        const child = map[name];
        if (isSchemaObject(child) && !this.paths.has(child))
          this.index(child, `${path}/${key}/${escapePointer(name)}`);
      }
    }
  }
}

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
  private readonly owners = new WeakMap<SchemaObject, SchemaDoc>();

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
