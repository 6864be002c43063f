import { Inject, Injectable } from '@nestjs/common';
import { requestContextOf } from '../common/request-context';
import { AccessDeniedError } from './access';
import { actorRef } from './actor';
import { AUDIT_RECORDER, type AuditRecorder } from './audit-recorder';
import { actorOf } from './request-actor';

// Refusals already recorded (by the guard, or by a filter further out): one event per refusal.
const recorded = new WeakSet<AccessDeniedError>();

/** Marks a refusal whose event the caller has just recorded itself. */
export function markRecorded(error: AccessDeniedError): AccessDeniedError {
  recorded.add(error);
  return error;
}

/** The refusal thrown, or the one another API's error answers for (its `cause`). */
function refusalIn(thrown: unknown): AccessDeniedError | null {
  if (thrown instanceof AccessDeniedError) return thrown;
  const cause = thrown instanceof Error ? thrown.cause : undefined;
  return cause instanceof AccessDeniedError ? cause : null;
}

/**
 * Instance-level refusals thrown by services reach the audit seam when they reach the caller:
 * the exception filters call this (no interceptor on the success path). A refusal a service
 * catches and recovers from is never recorded.
 */
@Injectable()
export class DenialAudit {
  constructor(@Inject(AUDIT_RECORDER) private readonly audit: AuditRecorder) {}

  async recordIfDenied(thrown: unknown, request: object | undefined): Promise<void> {
    const error = refusalIn(thrown);
    if (error === null || recorded.has(error)) return;
    recorded.add(error);
    const actor = request ? actorOf(request) : undefined;
    await this.audit.record(
      {
        type: 'access.denied',
        action: error.action,
        subject: error.subjectName,
        answeredAs: error.answeredAs,
      },
      { actor: actor ? actorRef(actor) : null, request: request ? requestContextOf(request) : undefined },
    );
  }
}
