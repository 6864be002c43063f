import { type Actor } from './actor';

// Keyed by the request object itself: the actor lives exactly as long as its request.
const actors = new WeakMap<object, Actor>();

export function attachActor(request: object, actor: Actor): void {
  actors.set(request, actor);
}

export function actorOf(request: object): Actor | undefined {
  return actors.get(request);
}
