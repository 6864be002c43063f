import { CHARTER_KEYWORD } from '@charter/sdk';

type Json = unknown;

/** Keywords whose value is one subschema. */
const SUBSCHEMA = new Set([
  'items',
  'additionalItems',
  'additionalProperties',
  'unevaluatedItems',
  'unevaluatedProperties',
  'contains',
  'propertyNames',
  'not',
  'if',
  'then',
  'else',
]);
/** Keywords whose value is an array of subschemas (or, for draft-04 `items`, may be). */
const SUBSCHEMA_LIST = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items']);
/** Keywords whose value maps names to subschemas. */
const SUBSCHEMA_MAP = new Set([
  'properties',
  'patternProperties',
  '$defs',
  'definitions',
  'dependentSchemas',
  'dependencies',
]);

const isObject = (value: Json): value is Record<string, Json> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The payload schema as a Confluent client should compile it: Charter's `x-charter` annotations
 * removed at schema positions only (a property *named* x-charter stays), because kafkajs compiles
 * with a strict Ajv that refuses unknown keywords. Pure; returns a copy.
 */
export function withoutCharterAnnotations(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(withoutCharterAnnotations);
  if (!isObject(schema)) return schema;
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === CHARTER_KEYWORD) continue;
    out[key] = stripMember(key, value);
  }
  return out;
}

function stripMember(key: string, value: Json): Json {
  if (SUBSCHEMA_LIST.has(key) && Array.isArray(value)) return value.map(withoutCharterAnnotations);
  if (SUBSCHEMA.has(key)) return withoutCharterAnnotations(value);
  if (SUBSCHEMA_MAP.has(key) && isObject(value)) {
    const map: Record<string, Json> = {};
    // dependencies may also hold arrays of names (draft-04..07), which pass through unchanged.
    for (const [name, sub] of Object.entries(value))
      map[name] = Array.isArray(sub) ? sub : withoutCharterAnnotations(sub);
    return map;
  }
  return value;
}
