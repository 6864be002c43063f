import { type AuditActor } from '@charter/sdk';
import { type RequestContext } from '../../common/request-context';
import { auditActorOf } from './audit-entry';

// Keyed by the request's context object: it lives exactly as long as the request.
const actors = new WeakMap<RequestContext, AuditActor>();

/**
 * How the request's caller authenticated and its roles, for events reported through the identity
 * seam (which passes only a principal id). The guard puts the actor in the request context; an
 * interceptor doing this cost every request more than half its throughput, so it is read here.
 */
export function actorInfoOf(context: RequestContext | undefined): AuditActor | undefined {
  if (context?.actor === undefined) return undefined;
  let actor = actors.get(context);
  if (!actor) {
    actor = auditActorOf(context.actor);
    actors.set(context, actor);
  }
  return actor;
}
