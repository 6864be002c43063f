/** JSON Schema dialects a contract may name in `$schema`. */
export type SchemaDialect = 'draft-04' | 'draft-06' | 'draft-07' | '2019-09' | '2020-12';

export const DEFAULT_DIALECT: SchemaDialect = '2020-12';

const DIALECT_BY_URI: ReadonlyMap<string, SchemaDialect> = new Map([
  ['json-schema.org/draft-04/schema', 'draft-04'],
  ['json-schema.org/draft-06/schema', 'draft-06'],
  ['json-schema.org/draft-07/schema', 'draft-07'],
  ['json-schema.org/draft/2019-09/schema', '2019-09'],
  ['json-schema.org/draft/2020-12/schema', '2020-12'],
]);

/** The dialect named by `$schema` (http or https, trailing '#' optional); undefined if unknown. */
export function dialectOf(schema: unknown): SchemaDialect | undefined {
  if (typeof schema !== 'object' || schema === null || !('$schema' in schema)) return DEFAULT_DIALECT;
  const uri = schema.$schema;
  if (typeof uri !== 'string') return undefined;
  const bare = uri.replace(/^https?:\/\//, '').replace(/#$/, '');
  return DIALECT_BY_URI.get(bare);
}
