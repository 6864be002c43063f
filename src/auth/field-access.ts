import { subject } from '@casl/ability';
import { permittedFieldsOf } from '@casl/ability/extra';
import { type ClearAccessGrant } from '@charter/sdk';
import { type AppAbility } from './ability';

/** The glob a rule without a field list stands for: every field. */
export const ALL_FIELDS = '/**';

export interface ProductScope {
  productId: string;
  domainId: string;
}

/**
 * Field path globs (SDK syntax: `/a/*\/b`, `**`) the ability lets its holder read in clear on one
 * product. Empty: everything is anonymized per the contract policy. The strings are globs, not
 * CASL field names: match them with the SDK's `globMatches`/`globCovers`, never with `ability.can`.
 */
export function clearFieldsOf(ability: AppAbility, product: ProductScope): string[] {
  const fields = permittedFieldsOf(ability, 'readClear', subject('ProductData', { ...product }), {
    fieldsFrom: (rule) => rule.fields ?? [ALL_FIELDS],
  });
  return fields.includes(ALL_FIELDS) ? [ALL_FIELDS] : fields.sort();
}

/**
 * The same answer in the shape `resolveFieldPolicy` reads from a policy's `access` list, so the
 * governance layer can append it for this principal (matched through `Principal.consumer`).
 */
export function clearAccessGrantFor(
  ability: AppAbility,
  product: ProductScope,
  principalName: string,
): ClearAccessGrant | null {
  const fields = clearFieldsOf(ability, product);
  return fields.length === 0 ? null : { consumer: principalName, fields, justification: 'role grant' };
}
