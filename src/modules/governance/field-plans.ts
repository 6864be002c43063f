import {
  type ContractDocument,
  type FieldPlan,
  type PolicyDocument,
  type Principal,
  resolveFieldPolicy,
} from '@charter/sdk';
import { type Actor } from '../../auth/actor';
import { clearAccessGrantFor, type ProductScope } from '../../auth/field-access';

/** The roles the actor holds on this product: global bindings, its domain's and its own. */
export function principalFor(actor: Actor, scope: ProductScope): Principal {
  const roles = new Set<string>();
  for (const binding of actor.bindings) {
    const covers =
      binding.productId === scope.productId ||
      (binding.productId === null && (binding.domainId === null || binding.domainId === scope.domainId));
    if (covers) roles.add(binding.role);
  }
  return { roles: [...roles].sort(), consumer: actor.name };
}

/**
 * The actor's effective field plan for one stored contract: the policy's own access list plus
 * what its CASL role grants allow in clear (`readClear` on ProductData), matched by principal name.
 */
export function planFor(actor: Actor, scope: ProductScope, document: Record<string, unknown>): FieldPlan {
  const policy = (document['policy'] ?? {}) as PolicyDocument;
  const roleGrant = clearAccessGrantFor(actor.ability, scope, actor.name);
  const access = [...(policy.access ?? []), ...(roleGrant === null ? [] : [roleGrant])];
  const contract: ContractDocument = { schema: document['schema'], policy: { ...policy, access } };
  return resolveFieldPolicy(contract, principalFor(actor, scope));
}

/** What a plan releases in clear, for the audit record: declared paths, then undeclared grant globs. */
export function clearPathsOf(plan: FieldPlan): string[] {
  const declared = plan.fields
    .filter((field) => field.decision === 'clear' && (field.kind === 'leaf' || field.whole))
    .map((field) => field.path);
  return [...new Set([...declared, ...plan.undeclared.clearGrants])];
}

/** Whether the plan encrypts anything, so a data key must exist. */
export function plansEncryption(plan: FieldPlan): boolean {
  return plan.fields.some((field) => field.decision !== 'clear' && field.decision.operator === 'encrypt');
}
