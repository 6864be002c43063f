import {
  type CallHandler,
  type ExecutionContext,
  Inject,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { catchError, from, mergeMap, type Observable, throwError } from 'rxjs';
import { currentRequestContext } from '../common/request-context';
import { AccessDeniedError } from './access';
import { actorRef } from './actor';
import { AUDIT_RECORDER, type AuditRecorder } from './audit-recorder';
import { requestOf } from './execution-request';
import { actorOf } from './request-actor';

/** Instance-level refusals thrown by services reach the audit seam here, then the caller as usual. */
@Injectable()
export class AccessDeniedInterceptor implements NestInterceptor {
  constructor(@Inject(AUDIT_RECORDER) private readonly audit: AuditRecorder) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        if (!(error instanceof AccessDeniedError)) return throwError(() => error);
        const actor = actorOf(requestOf(context));
        const request = currentRequestContext();
        const recorded = this.audit.record(
          {
            type: 'access.denied',
            action: error.action,
            subject: error.subjectName,
            answeredAs: error.answeredAs,
          },
          { actor: actor ? actorRef(actor) : null, requestId: request?.requestId, client: request?.client },
        );
        return from(recorded).pipe(mergeMap(() => throwError(() => error)));
      }),
    );
  }
}
