import { createHash } from 'node:crypto';
import { SUBSCHEMA_ARRAY_KEYWORDS, SUBSCHEMA_KEYWORDS, SUBSCHEMA_MAP_KEYWORDS } from '../schema-keywords';

/** Annotations whose string values ajv never reads: they change no compile verdict and no validator. */
const PROSE_ANNOTATIONS = ['title', 'description', '$comment'] as const;
const PROSE_PLACEHOLDER = '_';
const SINGLE_SCHEMA_KEYWORDS = SUBSCHEMA_KEYWORDS;
const SCHEMA_LIST_KEYWORDS = SUBSCHEMA_ARRAY_KEYWORDS;
const SCHEMA_MAP_KEYWORDS = SUBSCHEMA_MAP_KEYWORDS;
/** A reference into an annotation would read its value as a schema: such schemas get no shape. */
const REF_INTO_PROSE = /\/(?:title|description|%24comment|\$comment)(?:\/|$)/;

type Node = Record<string, unknown>;
const isNode = (value: unknown): value is Node =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A key for what ajv compiles from a schema: the schema (key order kept) with the string values of
 * `title`, `description` and `$comment` replaced, at schema positions only (a property named
 * `description` is a subschema and stays). Two schemas with one key compile to the same verdict,
 * so a version that only rewords its documentation needs no new compile. Undefined when a `$ref`
 * points into such an annotation (the value would then be read as a schema).
 */
export function validationShapeKey(dialect: string, schema: unknown): string | undefined {
  const found = { refIntoProse: false };
  const shape = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(shape);
    if (!isNode(node)) return node;
    const copy: Node = { ...node };
    for (const keyword of PROSE_ANNOTATIONS)
      if (typeof copy[keyword] === 'string') copy[keyword] = PROSE_PLACEHOLDER;
    for (const keyword of ['$ref', '$dynamicRef', '$recursiveRef'])
      if (typeof copy[keyword] === 'string' && REF_INTO_PROSE.test(copy[keyword])) found.refIntoProse = true;
    for (const keyword of SINGLE_SCHEMA_KEYWORDS)
      if (isNode(copy[keyword])) copy[keyword] = shape(copy[keyword]);
    for (const keyword of SCHEMA_LIST_KEYWORDS)
      if (Array.isArray(copy[keyword])) copy[keyword] = (copy[keyword] as unknown[]).map(shape);
    for (const keyword of SCHEMA_MAP_KEYWORDS) {
      const map = copy[keyword];
      if (isNode(map))
        copy[keyword] = Object.fromEntries(Object.entries(map).map(([name, sub]) => [name, shape(sub)]));
    }
    return copy;
  };
  const text = JSON.stringify(shape(schema));
  if (found.refIntoProse) return undefined;
  return createHash('sha256').update(dialect).update('\n').update(text).digest('hex');
}
