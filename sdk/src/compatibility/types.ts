/** Public vocabulary of the compatibility engine, shared with the registry service and other diffs. */

export const COMPATIBILITY_MODES = [
  'NONE',
  'BACKWARD',
  'FORWARD',
  'FULL',
  'BACKWARD_TRANSITIVE',
  'FORWARD_TRANSITIVE',
  'FULL_TRANSITIVE',
] as const;
export type CompatibilityMode = (typeof COMPATIBILITY_MODES)[number];

export const COMPATIBILITY_POLICIES = ['STRICT', 'LENIENT', 'SEMANTIC'] as const;
export type CompatibilityPolicy = (typeof COMPATIBILITY_POLICIES)[number];

/** BACKWARD: the new schema reads what the old one wrote. FORWARD: the old reads what the new writes. */
export type Direction = 'backward' | 'forward';

export type ChangeCategory = 'schema' | 'quality' | 'governance';

/**
 * One change between two versions. Schema changes come from this engine; quality-rule and
 * governance diffs append their own records (e.g. `QUALITY_RULE_TIGHTENED`, `PII_TAG_REMOVED`).
 */
export interface Change {
  category: ChangeCategory;
  /** Stable code, Confluent's name where one exists (`TYPE_NARROWED`, `MAX_LENGTH_DECREASED`, ...). */
  type: string;
  /** Breaks the requested mode (false for changes that are safe under it). */
  breaking: boolean;
  /** Directions in which this change breaks; empty when it breaks none. */
  breaks: Direction[];
  /** Charter could not prove the change safe in these directions (SEMANTIC answers undecided). */
  unproven?: Direction[];
  /** JSON Pointer into the proposed schema (the old one when the location only exists there). */
  schemaPath: string;
  /** Instance location it affects, e.g. `/customer/email`; `*` stands for any key or index. */
  instancePath: string;
  /** One plain sentence naming the old and the new side. */
  message: string;
  /** Suggested fix, when the change breaks. */
  fix?: string;
  /** Index in `history` of the version this change was found against. */
  against?: number;
}

export type Verdict = 'compatible' | 'incompatible' | 'undecided';

export interface CompatibilityResult {
  verdict: Verdict;
  /** Why the verdict is undecided (or why the check was refused); absent otherwise. */
  reason?: { code: CompatibilityIssueCode; message: string; schemaPath?: string };
  mode: CompatibilityMode;
  policy: CompatibilityPolicy;
  changes: Change[];
  /** Steps the engine spent, out of its budget. */
  steps: number;
}

export type CompatibilityIssueCode =
  | 'REF_NOT_ALLOWED'
  | 'REF_NOT_FOUND'
  | 'BUDGET_EXCEEDED'
  | 'TOO_DEEP'
  | 'NOT_PROVEN'
  | 'INVALID_SCHEMA'
  | 'INVALID_REQUEST';

export interface CompatibilityRequest {
  mode?: CompatibilityMode;
  policy?: CompatibilityPolicy;
  /** Earlier versions, oldest first; the plain modes use only the last one. */
  history: readonly unknown[];
  proposed: unknown;
  /** Work limit in comparison steps; over it the answer is `undecided` (default 200 000). */
  budget?: number;
}

/** A broken invariant inside the engine (never an expected outcome). */
export class CompatibilityError extends Error {
  constructor(
    readonly code: CompatibilityIssueCode,
    message: string,
  ) {
    super(message);
    this.name = 'CompatibilityError';
  }
}
