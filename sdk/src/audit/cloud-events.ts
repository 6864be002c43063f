import { AuditError } from './audit-error';
import { type AuditEvent } from './audit-event';

/** A CloudEvents 1.0 structured-mode JSON envelope carrying one audit event verbatim in `data`. */
export interface AuditCloudEvent {
  readonly specversion: '1.0';
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly time: string;
  readonly subject?: string;
  readonly datacontenttype: 'application/json';
  /** Extension attributes (lower-case alphanumerics): position and hash in the chain. */
  readonly charterseq: number;
  readonly charterhash: string;
  readonly data: AuditEvent;
}

export const AUDIT_EVENT_TYPE_PREFIX = 'io.charter.audit.';

/**
 * The export form: `data` is the chained event unchanged, so an offline verifier re-computes the
 * same hashes; the envelope attributes only mirror it for SIEM routing.
 */
export function toCloudEvent(event: AuditEvent, source = '/charter/audit'): AuditCloudEvent {
  const subject = event.resource.product ?? event.resource.id;
  return {
    specversion: '1.0',
    id: event.eventId,
    source,
    type: `${AUDIT_EVENT_TYPE_PREFIX}${event.action}`,
    time: event.time,
    ...(subject === undefined ? {} : { subject }),
    datacontenttype: 'application/json',
    charterseq: event.seq,
    charterhash: event.hash,
    data: event,
  };
}

/** The audit event inside an envelope; the envelope must agree with it. Content is checked by verifyChain. */
export function fromCloudEvent(envelope: unknown): unknown {
  if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope))
    throw new AuditError('CLOUDEVENT_INVALID', 'not a CloudEvent object');
  const record = envelope as Readonly<Record<string, unknown>>;
  const data = record['data'];
  if (record['specversion'] !== '1.0' || typeof data !== 'object' || data === null)
    throw new AuditError('CLOUDEVENT_INVALID', 'not a CloudEvents 1.0 audit envelope');
  const event = data as Readonly<Record<string, unknown>>;
  if (
    record['id'] !== event['eventId'] ||
    record['charterseq'] !== event['seq'] ||
    record['charterhash'] !== event['hash']
  )
    throw new AuditError('CLOUDEVENT_INVALID', 'envelope attributes disagree with the event');
  return data;
}

/** One JSON line of an export. */
export function toCloudEventLine(event: AuditEvent, source?: string): string {
  return JSON.stringify(toCloudEvent(event, source));
}

/**
 * Reads export lines (blank lines skipped) into events for verifyChain. A line that is not valid
 * JSON or not a matching envelope yields a marker that the verifier reports as EVENT_MALFORMED.
 */
export async function* readCloudEventLines(lines: Iterable<string> | AsyncIterable<string>): AsyncGenerator {
  for await (const line of lines) {
    if (line.trim() === '') continue;
    try {
      yield fromCloudEvent(JSON.parse(line));
    } catch {
      yield { malformed: 'line is not a CloudEvents audit envelope' };
    }
  }
}
