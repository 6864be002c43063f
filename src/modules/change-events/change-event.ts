import { randomUUID } from 'node:crypto';
import { type ChangeEventType, type CloudEvent } from './change-event-types';

/** What a service says about one change; ChangeEvents adds id, time, source and the envelope. */
export interface ChangeEventInput {
  type: ChangeEventType;
  /** The changed thing within the source, e.g. `versions/3` or `compatibility-settings`. */
  subject: string;
  domain: { id: string; name: string } | null;
  product: { id: string; name: string } | null;
  /** Ids, version numbers, fingerprints, modes and summaries only: never payload values or PII. */
  data: Record<string, unknown>;
}

/** `/domains/<d>/products/<p>`, `/domains/<d>` or `/` for global settings. */
export function sourceOf(input: Pick<ChangeEventInput, 'domain' | 'product'>): string {
  if (input.domain === null) return '/';
  const domain = `/domains/${input.domain.name}`;
  return input.product === null ? domain : `${domain}/products/${input.product.name}`;
}

export function cloudEventOf(input: ChangeEventInput, now = new Date()): CloudEvent {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: sourceOf(input),
    type: input.type,
    subject: input.subject,
    time: now.toISOString(),
    datacontenttype: 'application/json',
    data: input.data,
    ...(input.domain !== null && { domain: input.domain.name }),
    ...(input.product !== null && { product: input.product.name }),
  };
}
