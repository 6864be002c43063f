export const ROLES = ['admin', 'owner', 'producer', 'consumer', 'governance', 'ci'] as const;
export type Role = (typeof ROLES)[number];

export type ScopeKind = 'global' | 'domain' | 'product';

/** Where each role may be bound: admin is platform-wide, owners own something. */
export const ROLE_SCOPES: Record<Role, readonly ScopeKind[]> = {
  admin: ['global'],
  owner: ['domain', 'product'],
  producer: ['domain', 'product'],
  consumer: ['domain', 'product'],
  governance: ['global', 'domain'],
  ci: ['global', 'domain', 'product'],
};

/** Roles an owner may hand out inside its own scope; platform roles stay with admins. */
export const OWNER_GRANTABLE_ROLES: readonly Role[] = ['owner', 'producer', 'consumer', 'ci'];

/**
 * One role binding as the ability sees it. A product binding also carries the product's domain,
 * so "reads its domain" needs no extra lookup.
 */
export interface RoleBinding {
  role: Role;
  domainId: string | null;
  productId: string | null;
  /** Consumer bindings only: field path globs (`/customer/email`, `/**`) readable in clear. */
  clearFields: readonly string[];
}

export function scopeKindOf(binding: Pick<RoleBinding, 'domainId' | 'productId'>): ScopeKind {
  if (binding.productId !== null) return 'product';
  return binding.domainId !== null ? 'domain' : 'global';
}
