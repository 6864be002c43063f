import { currentRequestContext } from '../common/request-context';
import { type Actor } from './actor';

// On the request object itself, under a symbol only this file knows: the actor lives exactly as
// long as its request, without a WeakMap entry per request (slow to add, and to collect).
const ACTOR = Symbol('charter.actor');
type WithActor = { [ACTOR]?: Actor };

export function attachActor(request: object, actor: Actor): void {
  (request as WithActor)[ACTOR] = actor;
  // Code below the resolver (the audit recorder) finds the caller through the request context.
  const context = currentRequestContext();
  if (context) context.actor = actor;
}

export function actorOf(request: object): Actor | undefined {
  return (request as WithActor)[ACTOR];
}
