import { currentRequestContext } from '../common/request-context';
import { type Actor, type ActorRef, actorRef } from './actor';
import { type AuditContext } from './audit-recorder';

/** Who and which request, for an audit record of a change made by this actor. */
export function auditContextOf(actor: Actor | ActorRef): AuditContext {
  const request = currentRequestContext();
  const ref = 'ability' in actor ? actorRef(actor) : actor;
  return { actor: ref, requestId: request?.requestId, client: request?.client };
}
