import { type CloudEvent } from '../change-events';

/** A committed change event as the feed fans it out: the envelope and the ids visibility is checked on. */
export interface LiveChangeEvent {
  event: CloudEvent;
  domainId: string | null;
  productId: string | null;
}

/** What one NOTIFY on the change-events channel says. */
export type ChangeNotification =
  | { kind: 'event'; event: LiveChangeEvent }
  /** Too large for NOTIFY, or without the ids: the outbox row is the event. */
  | { kind: 'stored'; id: string }
  | { kind: 'unreadable' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function idOrNull(value: unknown): string | null | undefined {
  if (value === null) return null;
  return typeof value === 'string' && UUID.test(value) ? value : undefined;
}

/**
 * Events name their domain and product; their data carries the ids (`domainId`, `productId`).
 * An event whose ids are missing is read from the outbox, which stores them in columns.
 */
export function parseChangeNotification(payload: string): ChangeNotification {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return { kind: 'unreadable' };
  }
  if (!isRecord(parsed) || typeof parsed.id !== 'string' || !UUID.test(parsed.id))
    return { kind: 'unreadable' };
  if (parsed.truncated === true) return { kind: 'stored', id: parsed.id };
  if (parsed.specversion !== '1.0' || typeof parsed.type !== 'string' || !isRecord(parsed.data))
    return { kind: 'unreadable' };
  const event = parsed as unknown as CloudEvent;
  const domainId = event.domain === undefined ? null : idOrNull(event.data.domainId);
  const productId = event.product === undefined ? null : idOrNull(event.data.productId);
  if (domainId === undefined || productId === undefined) return { kind: 'stored', id: parsed.id };
  return { kind: 'event', event: { event, domainId, productId } };
}
