/** Codes of broken invariants while planning or applying anonymization. Messages never carry values. */
export type AnonymizationErrorCode =
  | 'POLICY_INVALID'
  | 'SCHEMA_TOO_COMPLEX'
  | 'KEY_UNAVAILABLE'
  | 'RECORD_NOT_OBJECT'
  | 'RECORD_TOO_DEEP'
  | 'OPERATOR_TYPE_MISMATCH'
  | 'OPERATOR_INPUT_INVALID'
  | 'FPE_DOMAIN_TOO_SMALL'
  | 'OPERATOR_FAILED'
  | 'CIPHERTEXT_MALFORMED'
  | 'DECRYPTION_FAILED'
  | 'K_ANONYMITY_NOT_MET';

export class AnonymizationError extends Error {
  constructor(
    readonly code: AnonymizationErrorCode,
    message: string,
    /** The field path template (never a value). */
    readonly path?: string,
  ) {
    super(path === undefined ? message : `${message} (at ${path})`);
    this.name = 'AnonymizationError';
  }
}
