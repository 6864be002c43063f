import { canonicalHash } from '../canonical/canonical-json';
import { type CompiledContract, compileContract } from './contract';
import { type SchemaDialect } from './dialect';
import {
  type BatchValidationResult,
  ContractCompileError,
  ContractValidationError,
  VALID,
  type ValidationIssue,
  type ValidationResult,
} from './issues';
import { type SchemaLimits } from './schema-guard';
import { schemaErrorsToIssues } from './schema-issues';
import { type ValidatorCache, defaultValidatorCache } from './validator-cache';

export interface ContractIdentity {
  readonly id: string;
  readonly version: string | number;
}

export interface ValidatorOptions {
  /** Cache key; versions are immutable, so one id + version always means one contract. */
  readonly identity?: ContractIdentity;
  /** Epoch milliseconds used by freshness rules; Date.now by default. */
  readonly clock?: () => number;
  /** Where compiled contracts are kept; `false` compiles afresh. */
  readonly cache?: ValidatorCache | false;
  readonly limits?: SchemaLimits;
}

export interface ContractValidator {
  /** The cache key: `id@version`, or `sha256:<canonical hash>` of the contract. */
  readonly key: string;
  readonly dialect: SchemaDialect;
  readonly ruleCount: number;
  validate(payload: unknown): ValidationResult;
  /** Throws ContractValidationError when `validate` would return `ok: false`. */
  assertValid(payload: unknown): void;
  validateBatch(payloads: readonly unknown[]): BatchValidationResult;
}

export function contractKey(contract: unknown, identity?: ContractIdentity): string {
  return identity ? `${identity.id}@${String(identity.version)}` : `sha256:${canonicalHash(contract)}`;
}

/**
 * Compiles a contract once (cached by identity) and returns its validator. Throws
 * ContractCompileError when the schema or a quality rule is refused.
 */
export function createValidator(contract: unknown, options: ValidatorOptions = {}): ContractValidator {
  const key = contractKey(contract, options.identity);
  const cache = options.cache === undefined ? defaultValidatorCache : options.cache;
  let compiled = cache ? cache.get(key) : undefined;
  if (!compiled) {
    const result = compileContract(contract, options.limits);
    if (!result.ok)
      throw new ContractCompileError(result.issues[0]?.code ?? 'CONTRACT_INVALID', result.issues);
    compiled = result.contract;
    if (cache) cache.set(key, compiled);
  }
  return bindValidator(key, compiled, options.clock ?? Date.now);
}

function bindValidator(key: string, contract: CompiledContract, clock: () => number): ContractValidator {
  const { schemaValidator, rules } = contract;
  const validate = (payload: unknown): ValidationResult => {
    if (!schemaValidator(payload)) return schemaFailure(contract, payload);
    if (rules.count === 0) return VALID;
    const issues: ValidationIssue[] = [];
    rules.run(payload, rules.usesClock ? clock() : 0, issues);
    if (issues.length === 0) return VALID;
    inStableOrder(issues);
    return issues.some((issue) => issue.severity === 'error') ? { ok: false, issues } : { ok: true, issues };
  };
  return {
    key,
    dialect: contract.dialect,
    ruleCount: rules.count,
    validate,
    assertValid: (payload) => {
      const result = validate(payload);
      if (!result.ok) throw new ContractValidationError(result.issues);
    },
    validateBatch: (payloads) => {
      const results = payloads.map(validate);
      const valid = results.filter((result) => result.ok).length;
      return { ok: valid === results.length, valid, invalid: results.length - valid, results };
    },
  };
}

/** Quality rules assume schema-valid data, so they run only once the schema passes. */
function schemaFailure(contract: CompiledContract, payload: unknown): ValidationResult {
  const everyError = contract.allErrorsValidator();
  everyError(payload);
  const errors = everyError.errors ?? contract.schemaValidator.errors ?? [];
  return { ok: false, issues: inStableOrder(schemaErrorsToIssues(errors)) };
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Issues ordered by path, then code, then rule: the order ajv reports in follows the schema's key
 * order, which a stored copy (jsonb, canonical JSON) need not keep, and service and SDK must agree.
 * Only invalid payloads pay for the sort.
 */
function inStableOrder(issues: ValidationIssue[]): ValidationIssue[] {
  return issues.sort(
    (a, b) => byText(a.path, b.path) || byText(a.code, b.code) || byText(a.rule ?? '', b.rule ?? ''),
  );
}
