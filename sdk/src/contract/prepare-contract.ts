import type { ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import { createHash } from 'node:crypto';
import { canonicalJson } from '../canonical/canonical-json';
import { collectSchemaFields, validatePolicy } from '../anonymization';
import { checkContract, type DataContract } from '../validation';
import { contractDocumentSchema } from './contract-schema';
import { checkSchemaProfile, type ProfileIssue } from './schema-profile';
import { parseStrictJson } from './strict-json';

export const MAX_CONTRACT_BYTES = 256 * 1024;
export const MAX_DOCUMENT_DEPTH = 128;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export type ContractIssue = ProfileIssue;

/** A field the schema declares, with its classification and tags: what search and policies use. */
export interface ContractField {
  path: string;
  name: string;
  classification?: string;
  tags: string[];
}

export interface PreparedContract {
  document: DataContract;
  /** RFC 8785 form of the document: its identity. */
  canonical: string;
  /** SHA-256 of the canonical form, hex. */
  contentHash: string;
  fields: ContractField[];
}

export type PrepareResult = { ok: true; contract: PreparedContract } | { ok: false; issues: ContractIssue[] };

let envelopeValidator: ValidateFunction | undefined;

function envelopeIssues(document: unknown): ContractIssue[] {
  envelopeValidator ??= new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile(
    contractDocumentSchema,
  );
  if (envelopeValidator(document)) return [];
  return (envelopeValidator.errors ?? []).map((error) => ({
    path: error.instancePath,
    code: 'CONTRACT_INVALID',
    message: `${error.instancePath || 'the document'} ${error.message ?? 'is invalid'}`,
  }));
}

/** Policy and quality members are configuration, not data: prototype-ish keys there are refused. */
function forbiddenKeyIssues(value: unknown, path: string, issues: ContractIssue[] = []): ContractIssue[] {
  if (Array.isArray(value)) value.forEach((item, i) => forbiddenKeyIssues(item, `${path}/${i}`, issues));
  else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      if (FORBIDDEN_KEYS.has(key))
        issues.push({ path: `${path}/${key}`, code: 'FORBIDDEN_KEY', message: `the key ${key} is refused` });
      else forbiddenKeyIssues(child, `${path}/${key}`, issues);
    }
  }
  return issues;
}

function fieldsOf(schema: unknown): ContractField[] {
  return [...collectSchemaFields(schema).values()].map((field) => ({
    path: field.path,
    name: field.path.split('/').pop() ?? '',
    ...(field.classification ? { classification: field.classification } : {}),
    tags: [...field.tags],
  }));
}

function memberIssues(document: DataContract): ContractIssue[] {
  const profile = checkSchemaProfile(document.schema).map((issue) => ({
    ...issue,
    path: `/schema${issue.path}`,
  }));
  const forbidden = [
    ...forbiddenKeyIssues(document.policy, '/policy'),
    ...forbiddenKeyIssues(document.quality, '/quality'),
  ];
  if (profile.length > 0 || forbidden.length > 0) return [...profile, ...forbidden];
  const issues: ContractIssue[] = checkContract(document).map(({ path, code, message }) => ({
    path,
    code,
    message,
  }));
  if (document.policy !== undefined) {
    const policy = validatePolicy(document.policy, document.schema);
    if (!policy.ok)
      issues.push(...policy.issues.map((issue) => ({ ...issue, path: `/policy${issue.path}` })));
  }
  return issues;
}

/**
 * Everything the registry checks before a version may be stored, in the order that keeps hostile
 * input away from the expensive parts: size, strict JSON, envelope, secure schema profile, then
 * compilation of the schema, quality rules and policy. Pure: the CLI runs the same checks offline.
 */
export function prepareContract(text: string): PrepareResult {
  if (Buffer.byteLength(text, 'utf8') > MAX_CONTRACT_BYTES) {
    return {
      ok: false,
      issues: [
        {
          path: '',
          code: 'CONTRACT_TOO_LARGE',
          message: `contracts are limited to ${MAX_CONTRACT_BYTES} bytes`,
        },
      ],
    };
  }
  const parsed = parseStrictJson(text, { maxDepth: MAX_DOCUMENT_DEPTH });
  if (!parsed.ok) return { ok: false, issues: [parsed.issue] };
  const envelope = envelopeIssues(parsed.value);
  if (envelope.length > 0) return { ok: false, issues: envelope };
  const document = parsed.value as DataContract;
  const issues = memberIssues(document);
  if (issues.length > 0) return { ok: false, issues };
  const canonical = canonicalJson(document);
  const contentHash = createHash('sha256').update(canonical, 'utf8').digest('hex');
  return { ok: true, contract: { document, canonical, contentHash, fields: fieldsOf(document.schema) } };
}
