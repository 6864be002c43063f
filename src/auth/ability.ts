import { AbilityBuilder, createMongoAbility, type MongoAbility, type MongoQuery } from '@casl/ability';
import { OWNER_GRANTABLE_ROLES, type RoleBinding } from './roles';

export const ACTIONS = [
  'read',
  'create',
  'update',
  'delete',
  'publish',
  'check',
  'validate',
  'readClear',
] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * What rules are about. Instances carry the ids conditions test:
 * Domain {id}; DataProduct {id, domainId}; Contract, Policy, ProductData, AuditLog {productId, domainId};
 * Principal {id}; ApiKey {principalId}; RoleGrant {principalId, role, domainId, productId}.
 */
export const SUBJECTS = [
  'Domain',
  'DataProduct',
  'Contract',
  'Policy',
  'ProductData',
  'AuditLog',
  'Principal',
  'ApiKey',
  'RoleGrant',
] as const;
export type SubjectName = (typeof SUBJECTS)[number];

// Instances are plain objects tagged with subject(); conditions are checked on their id fields.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- CASL's own AnyRecord: any plain object may be a subject.
export type AppAbility = MongoAbility<[Action, SubjectName | Record<PropertyKey, any>]>;

export interface AbilityPrincipal {
  id: string;
  bindings: readonly RoleBinding[];
}

type Can = AbilityBuilder<AppAbility>['can'];

const PRODUCT_LEVEL: SubjectName[] = ['Contract', 'Policy', 'ProductData', 'AuditLog'];

/** Conditions selecting what one binding covers, per kind of subject (undefined: everything). */
function scopeOf(binding: RoleBinding) {
  const { domainId, productId } = binding;
  const when = (query: MongoQuery): MongoQuery | undefined =>
    domainId === null && productId === null ? undefined : query;
  return {
    domain: when({ id: domainId }),
    product: when(productId !== null ? { id: productId } : { domainId }),
    inProduct: when(productId !== null ? { productId } : { domainId }),
  };
}

/**
 * The one place that turns role bindings into permissions. Pure: same bindings, same ability.
 * Read rules double as visibility: a resource the caller cannot read is answered as missing.
 */
export function buildAbility(principal: AbilityPrincipal): AppAbility {
  const builder = new AbilityBuilder<AppAbility>(createMongoAbility);
  const { can } = builder;
  // Every principal sees itself and manages its own keys.
  can('read', 'Principal', { id: principal.id });
  can(['read', 'create', 'delete'], 'ApiKey', { principalId: principal.id });
  can('read', 'RoleGrant', { principalId: principal.id });
  for (const binding of principal.bindings) grantRules(can, binding);
  return builder.build();
}

function grantRules(can: Can, binding: RoleBinding): void {
  const scope = scopeOf(binding);
  switch (binding.role) {
    case 'admin':
      can(['read', 'create', 'update', 'delete'], [...SUBJECTS]);
      can(['publish', 'check', 'validate'], 'Contract');
      return;
    case 'owner':
      readScope(can, binding);
      if (binding.productId === null) {
        can('update', 'Domain', scope.domain);
        can('create', 'DataProduct', { domainId: binding.domainId });
      }
      can('update', 'DataProduct', scope.product);
      can(['update', 'publish', 'check', 'validate'], 'Contract', scope.inProduct);
      can('read', 'AuditLog', scope.inProduct);
      can('read', 'Principal');
      can('read', 'RoleGrant', scope.inProduct);
      can(['create', 'delete'], 'RoleGrant', {
        ...scope.inProduct,
        role: { $in: [...OWNER_GRANTABLE_ROLES] },
      });
      return;
    case 'producer':
      readScope(can, binding);
      can(['publish', 'check', 'validate'], 'Contract', scope.inProduct);
      return;
    case 'consumer':
      readScope(can, binding);
      if (binding.clearFields.length > 0)
        can('readClear', 'ProductData', [...binding.clearFields], scope.inProduct);
      return;
    case 'governance':
      readScope(can, binding);
      can('read', 'AuditLog', scope.inProduct);
      can(['create', 'update'], 'Policy', scope.inProduct);
      can(['check', 'validate'], 'Contract', scope.inProduct);
      // No field list: every field of every product in scope, in clear.
      can('readClear', 'ProductData', scope.inProduct);
      if (binding.domainId === null) can('read', ['Principal', 'ApiKey', 'RoleGrant']);
      else can('read', 'RoleGrant', scope.inProduct);
      return;
    case 'ci':
      can('read', 'Domain', scope.domain);
      can('read', 'DataProduct', scope.product);
      can(['read', 'check', 'validate'], 'Contract', scope.inProduct);
      return;
  }
}

/** What every role bound to a domain or product reads there; data is read masked unless readClear allows. */
function readScope(can: Can, binding: RoleBinding): void {
  const scope = scopeOf(binding);
  can('read', 'Domain', scope.domain);
  can('read', 'DataProduct', scope.product);
  can(
    'read',
    PRODUCT_LEVEL.filter((s) => s !== 'AuditLog'),
    scope.inProduct,
  );
}
