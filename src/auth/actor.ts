import { type RequestContext } from '../common/request-context';
import { type AppAbility } from './ability';
import { type RoleBinding } from './roles';

export type PrincipalKind = 'person' | 'service';
export type CredentialKind = 'api-key' | 'jwt';

/** The authenticated caller, passed explicitly as the first argument of service methods. */
export interface Actor {
  principalId: string;
  name: string;
  kind: PrincipalKind;
  bindings: readonly RoleBinding[];
  ability: AppAbility;
  credential: { kind: CredentialKind; keyId?: string };
  /**
   * The request this actor is acting in, set by the guard: services pass the actor on, and with it
   * the request id for audit events and the deadline for transactions (transactionFor).
   */
  request?: RequestContext;
}

/** Who did something, as recorded: a principal, or the service itself (bootstrap). */
export interface ActorRef {
  principalId: string | null;
  name: string;
}

export const SYSTEM_ACTOR: ActorRef = { principalId: null, name: 'system' };

export function actorRef(actor: Actor): ActorRef {
  return { principalId: actor.principalId, name: actor.name };
}
