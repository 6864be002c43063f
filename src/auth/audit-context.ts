import { type Actor, type ActorRef, actorRef } from './actor';
import { type AuditContext } from './audit-recorder';

/** Who and which request (the one the actor acts in), for an audit record of a change made by this actor. */
export function auditContextOf(actor: Actor | ActorRef): AuditContext {
  if (!('ability' in actor)) return { actor };
  return { actor: actorRef(actor), request: actor.request };
}
