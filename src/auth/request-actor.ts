import { currentRequestContext } from '../common/request-context';
import { type Actor } from './actor';

// Keyed by the request object itself: the actor lives exactly as long as its request.
const actors = new WeakMap<object, Actor>();

export function attachActor(request: object, actor: Actor): void {
  actors.set(request, actor);
  // Code below the resolver (the audit recorder) finds the caller through the request context.
  const context = currentRequestContext();
  if (context) context.actor = actor;
}

export function actorOf(request: object): Actor | undefined {
  return actors.get(request);
}
