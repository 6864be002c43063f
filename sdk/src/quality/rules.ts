/**
 * The quality-rule vocabulary of a contract (`quality: [...]`). Paths are JSON Pointers into the
 * payload where a segment `*` means "every item of this array". Rules other than `required` skip a
 * missing or null target: presence is the `required` rule's job.
 */
export type RuleSeverity = 'error' | 'warning';

export type ComparisonOperator = '<' | '<=' | '==' | '!=' | '>=' | '>';

interface NamedRule {
  /** Unique within the contract; reported in issues and matched across versions by `diffQualityRules`. */
  readonly name: string;
  readonly severity?: RuleSeverity;
  readonly description?: string;
}

export interface RequiredCheck {
  readonly kind: 'required';
  readonly path: string;
}

export interface RangeCheck {
  readonly kind: 'range';
  readonly path: string;
  readonly min?: number;
  readonly max?: number;
  readonly exclusiveMin?: boolean;
  readonly exclusiveMax?: boolean;
}

/** String length in code points (as JSON Schema counts), or array length. */
export interface LengthCheck {
  readonly kind: 'length';
  readonly path: string;
  readonly min?: number;
  readonly max?: number;
}

/** RE2 syntax, matched anywhere in the string (anchor with ^...$), in linear time. */
export interface PatternCheck {
  readonly kind: 'pattern';
  readonly path: string;
  readonly pattern: string;
}

export interface AllowedValuesCheck {
  readonly kind: 'allowedValues';
  readonly path: string;
  readonly values: readonly (string | number | boolean)[];
}

/** RFC 3339 date or date-time; bounds are inclusive; ages are ISO 8601 durations (W, D, H, M, S). */
export interface TimestampCheck {
  readonly kind: 'timestamp';
  readonly path: string;
  readonly notBefore?: string;
  readonly notAfter?: string;
  /** Freshness: the value is at most this old relative to the validator's clock. */
  readonly maxAge?: string;
  /** Tolerated distance into the future relative to the clock (for example clock skew). */
  readonly maxAhead?: string;
}

/** `path operator other`; wildcards in `other` take the indexes matched in `path`, in order. */
export interface CompareCheck {
  readonly kind: 'compare';
  readonly path: string;
  readonly operator: ComparisonOperator;
  readonly other: string;
  /** How to compare; `auto` uses numbers for numbers, instants for two timestamps, else text. */
  readonly as?: 'auto' | 'number' | 'timestamp' | 'string';
}

/** Items of the array at `path` are unique by the values at `keys` (pointers inside an item). */
export interface UniqueCheck {
  readonly kind: 'unique';
  readonly path: string;
  readonly keys?: readonly string[];
}

export type ValueCheck =
  RequiredCheck | RangeCheck | LengthCheck | PatternCheck | AllowedValuesCheck | TimestampCheck;

export type FieldCheck = ValueCheck | CompareCheck | UniqueCheck;

/** When every value at `when.path` is present and passes `when`, the `then` checks apply. */
export interface ConditionalCheck {
  readonly kind: 'conditional';
  readonly when: ValueCheck;
  readonly then: readonly FieldCheck[];
}

/** A CEL expression over `message` (the payload) that must evaluate to true. */
export interface CelCheck {
  readonly kind: 'cel';
  readonly expression: string;
  /** Where issues are reported; '' (the payload root) by default. */
  readonly path?: string;
}

export type QualityRule = NamedRule & (FieldCheck | ConditionalCheck | CelCheck);

export type QualityRuleKind = QualityRule['kind'];
