/**
 * The PostgreSQL channel on which every committed change event is announced. GraphQL
 * subscriptions LISTEN on it; the payload format is fixed
 * (see `notifyPayloadOf`) and documented in the README.
 */
export const CHANGE_EVENTS_CHANNEL = 'charter_change_events';

/**
 * Announced (empty payload) only by a change event that created webhook deliveries: the webhook
 * workers wake on it, so an event no webhook wants costs them no query.
 */
export const WEBHOOK_DELIVERIES_CHANNEL = 'charter_webhook_deliveries';

/** CloudEvents `type` values Charter emits. */
export const CHANGE_EVENT_TYPES = {
  versionPublished: 'dev.charter.contract.version.published',
  versionDeprecated: 'dev.charter.contract.version.deprecated',
  versionDeleted: 'dev.charter.contract.version.deleted',
  breakingChangeRefused: 'dev.charter.contract.change.refused',
  settingsChanged: 'dev.charter.compatibility.settings.changed',
  policyChanged: 'dev.charter.governance.policy.changed',
} as const;

export type ChangeEventType = (typeof CHANGE_EVENT_TYPES)[keyof typeof CHANGE_EVENT_TYPES];

export const ALL_CHANGE_EVENT_TYPES: readonly ChangeEventType[] = Object.values(CHANGE_EVENT_TYPES);

/** A CloudEvents 1.0 envelope in the JSON format, with Charter's `domain`/`product` extensions. */
export interface CloudEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: ChangeEventType;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  data: Record<string, unknown>;
  /** Domain name; absent for global-level events. */
  domain?: string;
  /** Product name (within `domain`); absent for domain- and global-level events. */
  product?: string;
}

/** NOTIFY payloads are capped at 8000 bytes by PostgreSQL; above this the outbox row is the event. */
export const MAX_NOTIFY_PAYLOAD_BYTES = 7000;

/** The NOTIFY payload: the whole event, or `{id, truncated: true}` when it is too large. */
export function notifyPayloadOf(event: CloudEvent): string {
  const json = JSON.stringify(event);
  if (Buffer.byteLength(json, 'utf8') <= MAX_NOTIFY_PAYLOAD_BYTES) return json;
  return JSON.stringify({ id: event.id, truncated: true });
}
