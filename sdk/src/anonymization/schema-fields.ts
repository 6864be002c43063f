import { AnonymizationError } from './errors';
import { pointerToken } from '../json-pointer';
import { childPath, ITEMS } from './field-path';
import { type Classification, CLASSIFICATIONS } from './policy-types';

/** One declared field of a contract schema with its own `x-charter` annotations (merged over branches). */
export interface SchemaField {
  readonly path: string;
  readonly hasProperties: boolean;
  readonly hasItems: boolean;
  readonly classification?: Classification;
  readonly tags: readonly string[];
  /** Smallest `maxLength` among the branches, for the FPE domain check. */
  readonly maxLength?: number;
}

export interface SchemaWalkOptions {
  /** Path depth beyond which fields count as undeclared (recursive schemas). Default 16. */
  readonly maxDepth?: number;
  /** Visits of (schema, path) pairs before the walk gives up. Default 20,000. */
  readonly maxVisits?: number;
}

interface FieldBuilder {
  path: string;
  hasProperties: boolean;
  hasItems: boolean;
  classificationRank: number;
  tags: Set<string>;
  maxLength: number | undefined;
}

type SchemaObject = Readonly<Record<string, unknown>>;

const isObject = (value: unknown): value is SchemaObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Every field the schema declares, keyed by path template, in walk order. Follows local `$ref`s
 * (`#/...`), `allOf`/`anyOf`/`oneOf`, `if`/`then`/`else`, `items`/`prefixItems`; merges what the
 * branches say (highest classification, union of tags) so that a branch can only add protection.
 * Non-local references declare nothing, so their content stays undeclared (fail closed).
 */
export function collectSchemaFields(
  schema: unknown,
  options: SchemaWalkOptions = {},
): Map<string, SchemaField> {
  const walker = new SchemaWalker(schema, options.maxDepth ?? 16, options.maxVisits ?? 20_000);
  walker.walk(schema, '', 0);
  return walker.result();
}

class SchemaWalker {
  private readonly fields = new Map<string, FieldBuilder>();
  private visits = 0;

  constructor(
    private readonly root: unknown,
    private readonly maxDepth: number,
    private readonly maxVisits: number,
  ) {}

  walk(schema: unknown, path: string, depth: number): void {
    this.visits += 1;
    if (this.visits > this.maxVisits)
      throw new AnonymizationError('SCHEMA_TOO_COMPLEX', 'schema walk budget exceeded');
    const field = this.ensure(path);
    const properties = new Map<string, unknown[]>();
    const items: unknown[] = [];
    for (const part of this.flatten(schema, new Set())) {
      annotate(field, part);
      collectMembers(part, properties, items);
    }
    if (properties.size > 0) field.hasProperties = true;
    if (items.length > 0) field.hasItems = true;
    if (depth >= this.maxDepth) return;
    for (const [name, schemas] of properties)
      for (const sub of schemas) this.walk(sub, childPath(path, pointerToken(name)), depth + 1);
    for (const sub of items) this.walk(sub, childPath(path, ITEMS), depth + 1);
  }

  result(): Map<string, SchemaField> {
    const out = new Map<string, SchemaField>();
    for (const [path, field] of this.fields) {
      const classification = CLASSIFICATIONS[field.classificationRank];
      out.set(path, {
        path,
        hasProperties: field.hasProperties,
        hasItems: field.hasItems,
        tags: [...field.tags].sort(),
        ...(classification === undefined ? {} : { classification }),
        ...(field.maxLength === undefined ? {} : { maxLength: field.maxLength }),
      });
    }
    return out;
  }

  private ensure(path: string): FieldBuilder {
    let field = this.fields.get(path);
    if (field === undefined) {
      field = {
        path,
        hasProperties: false,
        hasItems: false,
        classificationRank: -1,
        tags: new Set(),
        maxLength: undefined,
      };
      this.fields.set(path, field);
    }
    return field;
  }

  /** The schema and every subschema that applies at the same instance location. */
  private flatten(schema: unknown, seenRefs: Set<string>): SchemaObject[] {
    if (!isObject(schema)) return [];
    const parts: SchemaObject[] = [schema];
    const ref = schema['$ref'];
    if (typeof ref === 'string' && !seenRefs.has(ref)) {
      seenRefs.add(ref);
      parts.push(...this.flatten(resolveLocalRef(this.root, ref), seenRefs));
    }
    for (const keyword of ['allOf', 'anyOf', 'oneOf'] as const) {
      const branches = schema[keyword];
      if (Array.isArray(branches))
        for (const branch of branches) parts.push(...this.flatten(branch, seenRefs));
    }
    for (const keyword of ['then', 'else'] as const) parts.push(...this.flatten(schema[keyword], seenRefs));
    return parts;
  }
}

function collectMembers(part: SchemaObject, properties: Map<string, unknown[]>, items: unknown[]): void {
  const declared = part['properties'];
  if (isObject(declared))
    for (const [name, sub] of Object.entries(declared)) {
      const list = properties.get(name) ?? [];
      list.push(sub);
      properties.set(name, list);
    }
  for (const keyword of ['items', 'prefixItems', 'additionalItems'] as const) {
    const value = part[keyword];
    if (Array.isArray(value)) items.push(...(value as unknown[]));
    else if (isObject(value)) items.push(value);
  }
}

function annotate(field: FieldBuilder, part: SchemaObject): void {
  const maxLength = part['maxLength'];
  if (typeof maxLength === 'number' && Number.isInteger(maxLength) && maxLength >= 0)
    field.maxLength = field.maxLength === undefined ? maxLength : Math.min(field.maxLength, maxLength);
  const annotation = part['x-charter'];
  if (!isObject(annotation)) return;
  const classification = annotation['classification'];
  if (classification !== undefined) {
    // An unknown level counts as the highest: a typo must not lower protection.
    const rank = CLASSIFICATIONS.indexOf(classification as Classification);
    field.classificationRank = Math.max(
      field.classificationRank,
      rank === -1 ? CLASSIFICATIONS.length - 1 : rank,
    );
  }
  const tags = annotation['tags'];
  if (Array.isArray(tags)) for (const tag of tags) if (typeof tag === 'string') field.tags.add(tag);
}

/** Resolves `#` and `#/json/pointer` inside the same document only; anything else declares nothing. */
export function resolveLocalRef(root: unknown, ref: string): unknown {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    } catch {
      return undefined;
    }
    if (!isObject(node) && !Array.isArray(node)) return undefined;
    if (!Object.prototype.hasOwnProperty.call(node, segment)) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}
