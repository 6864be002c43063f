import { pointerToken } from '../json-pointer';
import { isPathTemplate } from './field-path';
import { FPE_MIN_DOMAIN } from './operators/fpe';
import { CLASSIFICATIONS, FPE_ALPHABETS, type PolicyDocument } from './policy-types';
import { collectSchemaFields } from './schema-fields';
import { checkTreatment, type PolicyIssue } from './treatment-validation';

export type { PolicyIssue } from './treatment-validation';

export type PolicyValidation =
  | { readonly ok: true; readonly policy: PolicyDocument }
  | { readonly ok: false; readonly issues: readonly PolicyIssue[] };

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const TAG_KEY = /^[a-z][a-z0-9-]*:(\*|[a-z0-9][a-z0-9._-]*)$/;
const GLOB = /^\/([^/]+)(\/[^/]+)*$/;

/**
 * Checks a contract's `policy` member; with the contract's schema also checks that overridden
 * paths exist and that FPE fields whose `maxLength` bounds the domain below one million are refused.
 */
export function validatePolicy(policy: unknown, schema?: unknown): PolicyValidation {
  const issues: PolicyIssue[] = [];
  if (!isRecord(policy))
    return { ok: false, issues: [{ path: '', code: 'POLICY_INVALID', message: 'policy must be an object' }] };
  for (const key of Object.keys(policy))
    if (!['classifications', 'tags', 'fields', 'access'].includes(key))
      issues.push({
        path: `/${pointerToken(key)}`,
        code: 'MEMBER_UNKNOWN',
        message: 'unknown policy member',
      });
  checkTreatmentMap(
    policy['classifications'],
    '/classifications',
    (key) => (CLASSIFICATIONS as readonly string[]).includes(key),
    issues,
  );
  checkTreatmentMap(policy['tags'], '/tags', (key) => TAG_KEY.test(key), issues);
  checkTreatmentMap(policy['fields'], '/fields', isPathTemplate, issues);
  checkAccess(policy['access'], issues);
  if (issues.length === 0 && schema !== undefined) checkAgainstSchema(policy, schema, issues);
  return issues.length === 0 ? { ok: true, policy: policy } : { ok: false, issues };
}

function checkTreatmentMap(
  map: unknown,
  at: string,
  keyIsValid: (key: string) => boolean,
  issues: PolicyIssue[],
): void {
  if (map === undefined) return;
  if (!isRecord(map)) {
    issues.push({ path: at, code: 'POLICY_INVALID', message: 'must be an object of treatments' });
    return;
  }
  for (const [key, treatment] of Object.entries(map)) {
    const where = `${at}/${pointerToken(key)}`;
    if (!keyIsValid(key)) issues.push({ path: where, code: 'KEY_INVALID', message: 'not a valid key here' });
    checkTreatment(treatment, where, issues);
  }
}

function checkAccess(access: unknown, issues: PolicyIssue[]): void {
  if (access === undefined) return;
  if (!Array.isArray(access)) {
    issues.push({ path: '/access', code: 'POLICY_INVALID', message: 'access must be an array of grants' });
    return;
  }
  access.forEach((grant: unknown, index) => {
    const at = `/access/${index}`;
    if (!isRecord(grant))
      return void issues.push({ path: at, code: 'GRANT_INVALID', message: 'a grant is an object' });
    const holders = ['role', 'consumer'].filter((key) => typeof grant[key] === 'string' && grant[key] !== '');
    if (holders.length !== 1)
      issues.push({
        path: at,
        code: 'GRANT_HOLDER_INVALID',
        message: 'a grant names exactly one role or one consumer',
      });
    for (const key of Object.keys(grant))
      if (!['role', 'consumer', 'fields', 'justification'].includes(key))
        issues.push({
          path: `${at}/${pointerToken(key)}`,
          code: 'MEMBER_UNKNOWN',
          message: 'unknown grant member',
        });
    const fields = grant['fields'];
    if (!Array.isArray(fields) || fields.length === 0)
      return void issues.push({
        path: `${at}/fields`,
        code: 'GRANT_INVALID',
        message: 'fields lists at least one path glob',
      });
    fields.forEach((glob: unknown, position) => {
      if (typeof glob !== 'string' || !GLOB.test(glob))
        issues.push({
          path: `${at}/fields/${position}`,
          code: 'GLOB_INVALID',
          message: 'a field glob starts with / and has no empty segment',
        });
    });
  });
}

function checkAgainstSchema(policy: PolicyDocument, schema: unknown, issues: PolicyIssue[]): void {
  const fields = collectSchemaFields(schema);
  for (const path of Object.keys(policy.fields ?? {}))
    if (!fields.has(path))
      issues.push({
        path: `/fields/${pointerToken(path)}`,
        code: 'FIELD_NOT_DECLARED',
        message: 'the schema declares no field at this path',
      });
  for (const [path, treatment] of Object.entries(policy.fields ?? {})) {
    const maxLength = fields.get(path)?.maxLength;
    if (treatment.operator !== 'fpe' || maxLength === undefined) continue;
    if (FPE_ALPHABETS[treatment.alphabet].length ** maxLength < FPE_MIN_DOMAIN)
      issues.push({
        path: `/fields/${pointerToken(path)}`,
        code: 'FPE_DOMAIN_TOO_SMALL',
        message: 'the field domain is under one million values',
      });
  }
}
