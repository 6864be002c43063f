import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { type AuditActor } from '@charter/sdk';
import { type Observable } from 'rxjs';
import { requestOf } from '../../auth/execution-request';
import { actorOf } from '../../auth/request-actor';
import { currentRequestContext, type RequestContext } from '../../common/request-context';
import { auditActorOf } from './audit-entry';

// Keyed by the request's context object: it lives exactly as long as the request.
const actors = new WeakMap<RequestContext, AuditActor>();

export function actorInfoOf(context: RequestContext | undefined): AuditActor | undefined {
  return context === undefined ? undefined : actors.get(context);
}

/**
 * After the guard authenticated the caller, keeps how it authenticated and its roles with the
 * request, so events reported through the identity seam (which passes only a principal id) carry them.
 */
@Injectable()
export class AuditActorInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = currentRequestContext();
    const actor = actorOf(requestOf(context));
    if (request !== undefined && actor !== undefined && !actors.has(request))
      actors.set(request, auditActorOf(actor));
    return next.handle();
  }
}
