/** Who acted, how they authenticated, and their roles at decision time. */
export interface AuditActor {
  readonly principalId: string;
  readonly principalType?: string;
  readonly authMethod: string;
  readonly roles: readonly string[];
}

/** What was acted on. Field paths, never field values. */
export interface AuditResource {
  readonly type: string;
  readonly id?: string;
  readonly product?: string;
  /** Ids of the product and domain the resource belongs to, so readers can be limited to their scope. */
  readonly productId?: string;
  readonly domainId?: string;
  readonly subject?: string;
  readonly version?: number;
  readonly fieldPaths?: readonly string[];
}

export type AuditOutcome = 'success' | 'denied' | 'invalid' | 'error';

/** The policy or rule that decided. */
export interface AuditDecision {
  readonly policyId: string;
  readonly policyVersion?: number;
  readonly ruleId?: string;
}

export interface AuditRequest {
  readonly requestId: string;
  readonly correlationId?: string;
  readonly clientId?: string;
  readonly sourceAddress?: string;
  readonly userAgent?: string;
}

/** A non-PII summary of a change: hashes of the before/after canonical forms, version numbers. */
export interface AuditChange {
  readonly beforeHash?: string;
  readonly afterHash?: string;
  readonly fromVersion?: number;
  readonly toVersion?: number;
  readonly summary?: string;
}

/** One audit event before it is chained. Never carries payload values. */
export interface AuditEventBody {
  /** Dense sequence number from 1, assigned under the chain-head lock. */
  readonly seq: number;
  readonly eventId: string;
  /** ISO 8601 UTC server time. */
  readonly time: string;
  readonly actor: AuditActor;
  /** e.g. `contract.version.publish`, `policy.update`, `payload.read`, `value.reveal`, `authz.denied`. */
  readonly action: string;
  readonly resource: AuditResource;
  readonly outcome: AuditOutcome;
  readonly reason?: string;
  readonly decision?: AuditDecision;
  readonly request: AuditRequest;
  readonly change?: AuditChange;
}

/** A chained event: its hash covers the previous event's hash and its own canonical JSON. */
export interface AuditEvent extends AuditEventBody {
  readonly prevHash: string;
  readonly hash: string;
}

const HEX_HASH = /^[0-9a-f]{64}$/;
const OUTCOMES: readonly string[] = ['success', 'denied', 'invalid', 'error'];

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

export function isHexHash(value: unknown): value is string {
  return typeof value === 'string' && HEX_HASH.test(value);
}

/** Why an untrusted record is not an audit event, or undefined when its shape is right. */
export function auditEventShapeProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'not an object';
  const seq = value['seq'];
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1)
    return 'seq is not a positive integer';
  if (!isHexHash(value['prevHash']) || !isHexHash(value['hash'])) return 'prevHash/hash are not sha-256 hex';
  if (!isText(value['eventId']) || !isText(value['action'])) return 'eventId/action missing';
  const time = value['time'];
  if (typeof time !== 'string' || Number.isNaN(Date.parse(time))) return 'time is not a timestamp';
  if (typeof value['outcome'] !== 'string' || !OUTCOMES.includes(value['outcome'])) return 'outcome unknown';
  const actor = value['actor'];
  if (!isRecord(actor) || !isText(actor['principalId']) || !isText(actor['authMethod']))
    return 'actor incomplete';
  if (!Array.isArray(actor['roles']) || !actor['roles'].every((role) => typeof role === 'string'))
    return 'actor roles invalid';
  const request = value['request'];
  if (!isRecord(request) || !isText(request['requestId'])) return 'request id missing';
  if (!isRecord(value['resource']) || !isText(value['resource']['type'])) return 'resource type missing';
  return undefined;
}
