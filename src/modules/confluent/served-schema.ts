import {
  CHARTER_KEYWORD,
  SUBSCHEMA_ARRAY_KEYWORDS,
  SUBSCHEMA_KEYWORDS,
  SUBSCHEMA_MAP_KEYWORDS,
} from '@charter/sdk';

type Json = unknown;

/** Keywords whose value is one subschema. */
const SUBSCHEMA = new Set<string>(SUBSCHEMA_KEYWORDS);
/** Keywords whose value is an array of subschemas (or, for draft-04 `items`, may be). */
const SUBSCHEMA_LIST = new Set<string>(SUBSCHEMA_ARRAY_KEYWORDS);
/** Keywords whose value maps names to subschemas. */
const SUBSCHEMA_MAP = new Set<string>(SUBSCHEMA_MAP_KEYWORDS);

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
