import type { ValidateFunction } from 'ajv';
import { type CompiledQualityRules, compileQualityRules } from '../quality/compile';
import type { QualityRule } from '../quality/rules';
import { type SchemaDialect } from './dialect';
import { type ValidationIssue } from './issues';
import { checkSchema, compileSchema } from './schema-compiler';
import { type SchemaLimits, schemaIssue } from './schema-guard';

export const CONTRACT_API_VERSION = 'charter/v1';

/** One version of a data contract, as stored by the registry. */
export interface DataContract {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: unknown;
  /** JSON Schema of the payload; `$schema` names the dialect (2020-12 when absent). */
  readonly schema: unknown;
  readonly quality?: readonly QualityRule[];
  readonly policy?: unknown;
}

/** Everything compiled from one contract version; shared by every validator of that version. */
export interface CompiledContract {
  readonly dialect: SchemaDialect;
  readonly schemaValidator: ValidateFunction;
  /** Compiled on the first invalid payload: collecting every error costs only when one exists. */
  readonly allErrorsValidator: () => ValidateFunction;
  readonly rules: CompiledQualityRules;
}

export type ContractCompileResult =
  | { readonly ok: true; readonly contract: CompiledContract }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

function prefixed(issues: readonly ValidationIssue[], prefix: string): ValidationIssue[] {
  return issues.map((issue) => ({ ...issue, path: prefix + issue.path }));
}

function envelopeIssues(contract: unknown): ValidationIssue[] {
  if (typeof contract !== 'object' || contract === null || Array.isArray(contract)) {
    return [schemaIssue('', 'CONTRACT_INVALID', 'a contract must be a JSON object')];
  }
  const { apiVersion } = contract as { apiVersion?: unknown };
  if (apiVersion !== undefined && apiVersion !== CONTRACT_API_VERSION) {
    return [
      schemaIssue(
        '/apiVersion',
        'CONTRACT_UNSUPPORTED_API_VERSION',
        `apiVersion must be ${CONTRACT_API_VERSION}`,
      ),
    ];
  }
  if (!('schema' in contract))
    return [schemaIssue('/schema', 'CONTRACT_INVALID', 'a contract needs a schema')];
  return [];
}

/**
 * Compiles a contract's schema and quality rules: what the registry runs when a version is
 * submitted and what `createValidator` caches. Issue paths point into the contract document.
 */
export function compileContract(contract: unknown, limits?: SchemaLimits): ContractCompileResult {
  const envelope = envelopeIssues(contract);
  if (envelope.length > 0) return { ok: false, issues: envelope };
  const { schema, quality = [] } = contract as DataContract;
  const compiled = compileSchema(schema, { limits });
  const rules = compileQualityRules(quality);
  const issues = [
    ...(compiled.ok ? [] : prefixed(compiled.issues, '/schema')),
    ...(rules.ok ? [] : rules.issues),
  ];
  if (!compiled.ok || !rules.ok) return { ok: false, issues };
  let allErrors: ValidateFunction | undefined;
  const allErrorsValidator = (): ValidateFunction => {
    if (allErrors) return allErrors;
    const again = compileSchema(schema, { limits, allErrors: true });
    return (allErrors = again.ok ? again.validate : compiled.validate);
  };
  return {
    ok: true,
    contract: {
      dialect: compiled.dialect,
      schemaValidator: compiled.validate,
      allErrorsValidator,
      rules: rules.rules,
    },
  };
}

/**
 * The verdict of compileContract, keeping nothing: what the registry runs when a version is
 * submitted (schema through checkSchema, so a reworded version is not compiled again).
 */
export function checkContract(contract: unknown, limits?: SchemaLimits): readonly ValidationIssue[] {
  const envelope = envelopeIssues(contract);
  if (envelope.length > 0) return envelope;
  const { schema, quality = [] } = contract as DataContract;
  const checked = checkSchema(schema, { limits });
  const rules = compileQualityRules(quality);
  return [...(checked.ok ? [] : prefixed(checked.issues, '/schema')), ...(rules.ok ? [] : rules.issues)];
}
