export type AuditErrorCode = 'KEY_INVALID' | 'CLOUDEVENT_INVALID' | 'CHECKPOINT_INVALID';

/** A broken invariant in the audit kernel; messages never carry event content. */
export class AuditError extends Error {
  constructor(
    readonly code: AuditErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AuditError';
  }
}
