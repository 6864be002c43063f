/** Classification levels, least to most sensitive. */
export const CLASSIFICATIONS = ['public', 'internal', 'confidential', 'restricted'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

export const FPE_ALPHABETS = {
  digits: '0123456789',
  hex: '0123456789abcdef',
  'lower-alphanumeric': '0123456789abcdefghijklmnopqrstuvwxyz',
  'upper-alphanumeric': '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  alphanumeric: '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
} as const;
export type FpeAlphabet = keyof typeof FPE_ALPHABETS;

/** One treatment of a field value. No custom code, no unkeyed hash, no unauthenticated cipher. */
export type Treatment =
  | { readonly operator: 'redact' }
  | { readonly operator: 'nullify' }
  | { readonly operator: 'replace'; readonly value: string | number | boolean | null }
  | {
      readonly operator: 'mask';
      readonly keepFirst?: number;
      readonly keepLast?: number;
      readonly char?: string;
      readonly maxRevealRatio?: number;
    }
  | { readonly operator: 'generalize'; readonly granularity: 'year' | 'month' }
  | { readonly operator: 'generalize'; readonly granularity: 'band'; readonly width: number }
  | { readonly operator: 'generalize'; readonly granularity: 'prefix'; readonly length: number }
  | {
      readonly operator: 'pseudonymize';
      /** A named linkage context shared across products/fields; default: product + field. */
      readonly context?: string;
      /** Output bytes of the HMAC, 16..32 (128..256 bits); default 32. */
      readonly bytes?: number;
      /** Pins the master key version so pseudonyms survive rotation. */
      readonly keyVersion?: number;
      /** Pseudonymize values that already look like this operator's output (default: keep them, P-16). */
      readonly repseudonymize?: boolean;
    }
  | { readonly operator: 'encrypt' }
  | { readonly operator: 'fpe'; readonly alphabet: FpeAlphabet; readonly context?: string }
  | { readonly operator: 'keep'; readonly justification: string };

export type OperatorName = Treatment['operator'];

/** Clear access for one role or one named consumer: field path globs (`*` one segment, `**` any). */
export interface ClearAccessGrant {
  readonly role?: string;
  readonly consumer?: string;
  readonly fields: readonly string[];
  readonly justification?: string;
}

/** The `policy` member of a contract document. */
export interface PolicyDocument {
  /** Default treatment per classification. */
  readonly classifications?: Readonly<Partial<Record<Classification, Treatment>>>;
  /** Default treatment per tag; a key `ns:*` covers every tag of that namespace without its own rule. */
  readonly tags?: Readonly<Record<string, Treatment>>;
  /** Per-field overrides by path template (`/contacts/*` /email; `*` for array items). */
  readonly fields?: Readonly<Record<string, Treatment>>;
  readonly access?: readonly ClearAccessGrant[];
}

/** The part of a contract document (charter/v1) anonymization reads. */
export interface ContractDocument {
  readonly schema: unknown;
  readonly policy?: PolicyDocument | undefined;
}

export interface Principal {
  readonly roles: readonly string[];
  readonly consumer?: string;
}

/** `clear`, or the treatment to apply. */
export type FieldDecision = 'clear' | Treatment;

export interface PlannedField {
  /** Path template: JSON Pointer escaping, `*` for array items. */
  readonly path: string;
  readonly kind: 'leaf' | 'object' | 'array';
  /**
   * true: the decision applies to the whole value (always for leaves). false: a container whose
   * declared children decide; its decision only serves a scalar found where the schema expects a container.
   */
  readonly whole: boolean;
  readonly decision: FieldDecision;
  /** The rule that decided, for audit: `access[0]`, `fields[/a/b]`, `tags[pii:email]`, `classifications[restricted]`, `default:pii`, ... */
  readonly rule: string;
  readonly classification?: Classification;
  readonly tags: readonly string[];
}

/** The effective field policy of one principal for one contract version; plain JSON. */
export interface FieldPlan {
  readonly planVersion: 1;
  readonly fields: readonly PlannedField[];
  /** Fields the schema does not declare are dropped, unless one of these grant globs releases them. */
  readonly undeclared: { readonly treatment: 'drop'; readonly clearGrants: readonly string[] };
}
