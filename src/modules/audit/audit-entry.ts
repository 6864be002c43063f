import {
  type AuditActor,
  type AuditChange,
  type AuditDecision,
  type AuditOutcome,
  type AuditResource,
  canonicalHash,
} from '@charter/sdk';
import { type Actor } from '../../auth/actor';
import { type RoleBinding } from '../../auth/roles';

/** What a service says about one change or decision; AuditLog adds seq, time, request and the chain. */
export interface AuditEntry {
  actor: AuditActor;
  /** `<resource>.<verb>`, e.g. `domain.create`, `contract.version.publish`, `authz.denied`. */
  action: string;
  resource: AuditResource;
  /** Default `success`. */
  outcome?: AuditOutcome;
  /** A code or a short fixed sentence, never input values. */
  reason?: string;
  decision?: AuditDecision;
  change?: AuditChange;
}

/** The service itself (startup, bootstrap): not a principal. */
export const SYSTEM_AUDIT_ACTOR: AuditActor = { principalId: 'system', authMethod: 'none', roles: [] };

/** `owner`, `owner@domain:<id>`, `consumer@product:<id>`: the roles as they were when the actor acted. */
export function roleLabel(binding: Pick<RoleBinding, 'role' | 'domainId' | 'productId'>): string {
  if (binding.productId !== null) return `${binding.role}@product:${binding.productId}`;
  return binding.domainId !== null ? `${binding.role}@domain:${binding.domainId}` : binding.role;
}

/** Who acted, how they authenticated and their roles at decision time; never their name. */
export function auditActorOf(actor: Actor): AuditActor {
  return {
    principalId: actor.principalId,
    principalType: actor.kind,
    authMethod: actor.credential.kind,
    roles: actor.bindings.map(roleLabel),
  };
}

/** The hash of a record's canonical JSON: proves what changed without storing its values. */
export function stateHash(state: unknown): string {
  return canonicalHash(JSON.parse(JSON.stringify(state)) as unknown);
}
