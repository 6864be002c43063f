import {
  canonicalJson,
  collectSchemaFields,
  MAX_CONTRACT_BYTES,
  parseStrictJson,
  type QualityRule,
} from '@charter/sdk';
import { type ConfluentRule, qualityAsDomainRules } from './quality-as-cel';
import { withoutCharterAnnotations } from './served-schema';

export const SCHEMA_TYPE = 'JSON';

export interface ConfluentMetadata {
  /** Field path (`$.customer.email`) to its tags; `PII` is added to any field tagged `pii...`. */
  tags?: Record<string, string[]>;
  properties?: Record<string, string>;
}

/** What Confluent clients read for a schema id: the same for every subject holding it. */
export interface ServedSchema {
  schemaType: typeof SCHEMA_TYPE;
  schema: string;
  metadata?: ConfluentMetadata;
  ruleSet?: { domainRules: ConfluentRule[] };
}

export type SchemaTextResult = { ok: true; schema: unknown } | { ok: false; reason: string };

/** Parses a registered `schema` string with the same strict reader Charter uses for contracts. */
export function parseSchemaText(text: unknown): SchemaTextResult {
  if (typeof text !== 'string' || text.trim() === '')
    return { ok: false, reason: 'schema must be a JSON string' };
  if (Buffer.byteLength(text, 'utf8') > MAX_CONTRACT_BYTES)
    return { ok: false, reason: `schemas are limited to ${MAX_CONTRACT_BYTES} bytes` };
  const parsed = parseStrictJson(text, { maxDepth: 120 });
  return parsed.ok ? { ok: true, schema: parsed.value } : { ok: false, reason: parsed.issue.message };
}

/** A registered JSON Schema becomes the payload schema of a Charter contract document. */
export function contractTextOf(schema: unknown): string {
  return JSON.stringify({ apiVersion: 'charter/v1', kind: 'DataContract', schema });
}

/** Two schemas are the same for lookups when what a client would be served is the same. */
export function lookupKeyOf(schema: unknown): string {
  return canonicalJson(withoutCharterAnnotations(schema));
}

/** `/customer/items/*\/sku` as Confluent writes field paths: `$.customer.items[*].sku`. */
export function confluentPath(path: string): string {
  if (path === '') return '$';
  return path
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce(
      (out, name) =>
        name === '*'
          ? `${out}[*]`
          : /^[A-Za-z_][A-Za-z0-9_]*$/.test(name)
            ? `${out}.${name}`
            : `${out}[${JSON.stringify(name)}]`,
      '$',
    );
}

/** Charter's field tags (`x-charter.tags`) by Confluent path; empty when no field is tagged. */
export function fieldTagsOf(schema: unknown): Record<string, string[]> {
  const tags: Record<string, string[]> = {};
  for (const field of collectSchemaFields(schema).values()) {
    if (field.tags.length === 0) continue;
    const pii = field.tags.some((tag) => tag === 'pii' || tag.startsWith('pii:'));
    tags[confluentPath(field.path)] = pii ? ['PII', ...field.tags] : [...field.tags];
  }
  return tags;
}

interface ContractDocumentLike {
  schema?: unknown;
  metadata?: { owner?: unknown };
  quality?: unknown;
}

/** A stored contract document as Confluent clients see it. Pure; callers cache it per global id. */
export function servedSchemaOf(document: ContractDocumentLike): ServedSchema {
  const served: ServedSchema = {
    schemaType: SCHEMA_TYPE,
    schema: JSON.stringify(withoutCharterAnnotations(document.schema)),
  };
  const tags = fieldTagsOf(document.schema);
  const owner = typeof document.metadata?.owner === 'string' ? document.metadata.owner : undefined;
  if (Object.keys(tags).length > 0 || owner !== undefined) {
    served.metadata = {
      ...(Object.keys(tags).length > 0 && { tags }),
      ...(owner !== undefined && { properties: { owner } }),
    };
  }
  const rules = qualityAsDomainRules((document.quality ?? []) as QualityRule[]);
  if (rules.length > 0) served.ruleSet = { domainRules: rules };
  return served;
}
