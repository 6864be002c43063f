import { COMPATIBILITY_MODES, type CompatibilityMode } from '@charter/sdk';
import { CONFLUENT_CODES, ConfluentError, invalidSchema } from './confluent-error';
import { parseSchemaText, SCHEMA_TYPE } from './confluent-schema';

/** What a body parser under the prefix yields for a body that is not JSON. */
export const MALFORMED_BODY = Object.freeze({ malformed: true });

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function bodyObject(body: unknown): Record<string, unknown> {
  if (body === MALFORMED_BODY) throw new ConfluentError(400, 400, 'the request body is not valid JSON');
  if (!isRecord(body)) throw new ConfluentError(400, 400, 'the request body must be a JSON object');
  return body;
}

/**
 * `{schemaType, schema, references?, metadata?, ruleSet?}` as both clients send it. Confluent reads
 * a missing schemaType as AVRO, so only an explicit JSON is accepted. Metadata and rule sets sent
 * by clients are ignored: Charter serves its own, derived from the contract.
 */
export function schemaOfRequest(body: unknown): unknown {
  const request = bodyObject(body);
  const type = request.schemaType ?? 'AVRO';
  if (type !== SCHEMA_TYPE)
    throw invalidSchema(`schemaType ${typeof type === 'string' ? type : 'AVRO'} is not supported; use JSON`);
  if (Array.isArray(request.references) && request.references.length > 0)
    throw invalidSchema('schema references are not supported; inline the referenced definitions');
  const parsed = parseSchemaText(request.schema);
  if (!parsed.ok) throw invalidSchema(parsed.reason);
  return parsed.schema;
}

export type VersionRef = number | 'latest';

/** An integer from 1 to 2^31-1, `latest` or `-1` (latest); anything else is 42202. */
export function versionOfPath(raw: string): VersionRef {
  if (raw === 'latest' || raw === '-1') return 'latest';
  if (/^[1-9]\d{0,9}$/.test(raw) && Number(raw) <= 2 ** 31 - 1) return Number(raw);
  throw new ConfluentError(
    422,
    CONFLUENT_CODES.invalidVersion,
    'The specified version is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"',
  );
}

export function schemaIdOfPath(raw: string): number | null {
  return /^[1-9]\d{0,9}$/.test(raw) && Number(raw) <= 2 ** 31 - 1 ? Number(raw) : null;
}

const LEVEL_LIST =
  'none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive';

/** `{"compatibility": "FULL"}` (the Confluent client may send `compatibilityLevel`); case-insensitive. */
export function levelOfRequest(body: unknown): CompatibilityMode {
  const request = bodyObject(body);
  const raw = request.compatibility ?? request.compatibilityLevel;
  const level = typeof raw === 'string' ? raw.toUpperCase() : '';
  if (!(COMPATIBILITY_MODES as readonly string[]).includes(level)) {
    throw new ConfluentError(
      422,
      CONFLUENT_CODES.invalidCompatibilityLevel,
      `Invalid compatibility level. Valid values are ${LEVEL_LIST}`,
    );
  }
  return level as CompatibilityMode;
}

/** Query flags as Confluent reads them: only `true` (any case) is true. */
export function flag(value: unknown): boolean {
  return typeof value === 'string' && value.toLowerCase() === 'true';
}
