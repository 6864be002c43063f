import { parseProductRef } from '@charter/sdk';

/** Only value schemas are governed: a data product's contract describes the records it publishes. */
export const VALUE_SUFFIX = '-value';

export type SubjectMapping =
  | { ok: true; product: string }
  | { ok: false; reason: 'key-subject' | 'not-a-value-subject' | 'not-a-product-name' };

/**
 * Subject `<domain>.<product>-value` (Confluent's TopicNameStrategy for topic `<domain>.<product>`)
 * is the data product `<domain>.<product>`. Reversible: the suffix is fixed and product names
 * follow one naming rule, so every product has exactly one subject and vice versa.
 */
export function productOfSubject(subject: string): SubjectMapping {
  if (subject.endsWith('-key')) return { ok: false, reason: 'key-subject' };
  if (!subject.endsWith(VALUE_SUFFIX)) return { ok: false, reason: 'not-a-value-subject' };
  const product = subject.slice(0, -VALUE_SUFFIX.length);
  return parseProductRef(product) ? { ok: true, product } : { ok: false, reason: 'not-a-product-name' };
}

export function subjectOfProduct(product: string): string {
  return `${product}${VALUE_SUFFIX}`;
}

/** Why a subject cannot be registered, in one sentence that names no payload. */
export function subjectRefusal(reason: Extract<SubjectMapping, { ok: false }>['reason']): string {
  switch (reason) {
    case 'key-subject':
      return 'key subjects are not governed by Charter; register the value schema as <domain>.<product>-value';
    case 'not-a-value-subject':
      return 'subjects must be named <domain>.<product>-value';
    case 'not-a-product-name':
      return 'the topic must be <domain>.<product>: lower-case letters, digits or single dashes, starting with a letter, 2-63 characters each';
  }
}
