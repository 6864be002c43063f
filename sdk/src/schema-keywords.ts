/**
 * Where JSON Schema (draft-04 to 2020-12) keeps subschemas, in the order the compatibility engine
 * walks them (its change lists follow this order). One table for every walker in the kernel and
 * the service.
 */

/** Keywords whose value is one subschema (`items` may also be a list: see the array keywords). */
export const SUBSCHEMA_KEYWORDS = [
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

/** Keywords whose value is an array of subschemas (draft-04 `items` may be). */
export const SUBSCHEMA_ARRAY_KEYWORDS = ['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items'] as const;

/** Keywords whose value maps names to subschemas. */
export const SUBSCHEMA_MAP_KEYWORDS = [
  'properties',
  'patternProperties',
  '$defs',
  'definitions',
  'dependentSchemas',
  'dependencies',
] as const;
