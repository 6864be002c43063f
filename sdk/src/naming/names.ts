/**
 * One naming rule for domains and data products: lower-case letters, digits and single dashes,
 * starting with a letter, 2 to 63 characters (a DNS label, so names fit topics, URLs and metrics).
 * A data product is addressed as `domain.product`.
 */
export const NAME_PATTERN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
export const NAME_MIN_LENGTH = 2;
export const NAME_MAX_LENGTH = 63;

export function isValidName(name: string): boolean {
  return name.length >= NAME_MIN_LENGTH && name.length <= NAME_MAX_LENGTH && NAME_PATTERN.test(name);
}

export interface ProductRef {
  domain: string;
  product: string;
}

/** Parses `domain.product`; null when either part breaks the naming rule. */
export function parseProductRef(ref: string): ProductRef | null {
  const parts = ref.split('.');
  if (parts.length !== 2) return null;
  const [domain = '', product = ''] = parts;
  return isValidName(domain) && isValidName(product) ? { domain, product } : null;
}

export function formatProductRef(ref: ProductRef): string {
  return `${ref.domain}.${ref.product}`;
}
