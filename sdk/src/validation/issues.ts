/** Where a problem was found and what it is; never carries a payload value. */
export interface ValidationIssue {
  /** JSON Pointer of the offending instance location ('' is the payload root). */
  readonly path: string;
  readonly code: string;
  /** Name of the quality rule that failed; absent for schema issues. */
  readonly rule?: string;
  readonly message: string;
  readonly severity: IssueSeverity;
}

export type IssueSeverity = 'error' | 'warning';

/**
 * `ok` is false when at least one error-severity issue was found. Warnings alone keep `ok: true`
 * and are listed in `issues`, so producers can log them without rejecting the message.
 */
export type ValidationResult =
  | { readonly ok: true; readonly issues?: readonly ValidationIssue[] }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

/** Per-index result of a batch, in input order. */
export interface BatchValidationResult {
  readonly ok: boolean;
  readonly valid: number;
  readonly invalid: number;
  readonly results: readonly ValidationResult[];
}

export const VALID: ValidationResult = Object.freeze({ ok: true });

/** Thrown by `assertValid`; carries the same issues `validate` returns. */
export class ContractValidationError extends Error {
  readonly code = 'CONTRACT_VALIDATION_FAILED';
  constructor(readonly issues: readonly ValidationIssue[]) {
    super(`payload violates the contract (${issues.length} issue${issues.length === 1 ? '' : 's'})`);
    this.name = 'ContractValidationError';
  }
}

/** A contract that cannot be compiled: the schema or a quality rule is refused. */
export class ContractCompileError extends Error {
  constructor(
    readonly code: string,
    readonly issues: readonly ValidationIssue[],
  ) {
    super(issues[0]?.message ?? 'contract does not compile');
    this.name = 'ContractCompileError';
  }
}
