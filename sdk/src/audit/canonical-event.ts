import { canonicalJson } from '../canonical/canonical-json';

/**
 * RFC 8785 canonical JSON of an audit event (every member but prevHash and hash), specialised for
 * the event's known shape: the event is copied into fresh objects whose members are created in
 * sorted order, and V8's JSON.stringify (its fast path, one flat string) writes the copy. For plain
 * data that is the canonical form: JSON.stringify writes strings and finite numbers exactly as
 * RFC 8785 does, and members in creation order. Anything outside the known shape (an unknown or
 * inherited member, a value that is not a string, finite number or string array, a non-plain
 * object) is written by the generic canonicalJson instead, so the output equals
 * canonicalJson(hashedBody(event)) (property-tested in canonical-event.test.ts).
 */

type Members = Readonly<Record<string, unknown>>;

/** Set when a copy meets anything the fast path does not cover; the caller then uses the generic form. */
const walk = { outside: false };
const leftShape = (): boolean => walk.outside;

const own = Object.hasOwn;

function isPlain(value: unknown): value is Members {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/** A member value the copy may hold: undefined (absent), a string or a finite number. */
function leaf(members: Members, key: string): unknown {
  const value = members[key];
  if (value === undefined) return undefined;
  if (!own(members, key)) walk.outside = true;
  else if (typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value)))
    walk.outside = true;
  return value;
}

function strings(members: Members, key: string): unknown {
  const value = members[key];
  if (value === undefined) return undefined;
  if (!own(members, key) || !Array.isArray(value)) {
    walk.outside = true;
    return value;
  }
  for (let i = 0; i < value.length; i += 1) if (typeof value[i] !== 'string') walk.outside = true;
  return value;
}

/** A nested object member; an inherited one is not written by the generic form. */
function child(members: Members, key: string): unknown {
  const value = members[key];
  if (value !== undefined && !own(members, key)) walk.outside = true;
  return value;
}

/** The member count an object must have when every own member is one the copy read. */
function count(...values: unknown[]): number {
  let present = 0;
  for (const value of values) if (value !== undefined) present += 1;
  return present;
}

function actor(value: unknown): unknown {
  if (value === undefined) return undefined;
  if (!isPlain(value)) return (walk.outside = true);
  const copy = {
    authMethod: leaf(value, 'authMethod'),
    principalId: leaf(value, 'principalId'),
    principalType: leaf(value, 'principalType'),
    roles: strings(value, 'roles'),
  };
  if (Object.keys(value).length !== count(copy.authMethod, copy.principalId, copy.principalType, copy.roles))
    walk.outside = true;
  return copy;
}

function resource(value: unknown): unknown {
  if (value === undefined) return undefined;
  if (!isPlain(value)) return (walk.outside = true);
  const copy = {
    domainId: leaf(value, 'domainId'),
    fieldPaths: strings(value, 'fieldPaths'),
    id: leaf(value, 'id'),
    product: leaf(value, 'product'),
    productId: leaf(value, 'productId'),
    subject: leaf(value, 'subject'),
    type: leaf(value, 'type'),
    version: leaf(value, 'version'),
  };
  const present = count(
    copy.domainId,
    copy.fieldPaths,
    copy.id,
    copy.product,
    copy.productId,
    copy.subject,
    copy.type,
    copy.version,
  );
  if (Object.keys(value).length !== present) walk.outside = true;
  return copy;
}

function decision(value: unknown): unknown {
  if (value === undefined) return undefined;
  if (!isPlain(value)) return (walk.outside = true);
  const copy = {
    policyId: leaf(value, 'policyId'),
    policyVersion: leaf(value, 'policyVersion'),
    ruleId: leaf(value, 'ruleId'),
  };
  if (Object.keys(value).length !== count(copy.policyId, copy.policyVersion, copy.ruleId))
    walk.outside = true;
  return copy;
}

function request(value: unknown): unknown {
  if (value === undefined) return undefined;
  if (!isPlain(value)) return (walk.outside = true);
  const copy = {
    clientId: leaf(value, 'clientId'),
    correlationId: leaf(value, 'correlationId'),
    requestId: leaf(value, 'requestId'),
    sourceAddress: leaf(value, 'sourceAddress'),
    userAgent: leaf(value, 'userAgent'),
  };
  const present = count(
    copy.clientId,
    copy.correlationId,
    copy.requestId,
    copy.sourceAddress,
    copy.userAgent,
  );
  if (Object.keys(value).length !== present) walk.outside = true;
  return copy;
}

function change(value: unknown): unknown {
  if (value === undefined) return undefined;
  if (!isPlain(value)) return (walk.outside = true);
  const copy = {
    afterHash: leaf(value, 'afterHash'),
    beforeHash: leaf(value, 'beforeHash'),
    fromVersion: leaf(value, 'fromVersion'),
    summary: leaf(value, 'summary'),
    toVersion: leaf(value, 'toVersion'),
  };
  const present = count(copy.afterHash, copy.beforeHash, copy.fromVersion, copy.summary, copy.toVersion);
  if (Object.keys(value).length !== present) walk.outside = true;
  return copy;
}

/** The canonical text an event hash covers, by the fast path when the event has the known shape. */
export function canonicalAuditEventText(event: object): string {
  return knownShapeEventText(event) ?? genericEventText(event as Members);
}

/** The fast path alone: undefined when the event is outside the known shape. */
export function knownShapeEventText(event: object): string | undefined {
  if (!isPlain(event)) return undefined;
  walk.outside = false;
  const members = event;
  const copy = {
    action: leaf(members, 'action'),
    actor: actor(child(members, 'actor')),
    change: change(child(members, 'change')),
    decision: decision(child(members, 'decision')),
    eventId: leaf(members, 'eventId'),
    outcome: leaf(members, 'outcome'),
    reason: leaf(members, 'reason'),
    request: request(child(members, 'request')),
    resource: resource(child(members, 'resource')),
    seq: leaf(members, 'seq'),
    time: leaf(members, 'time'),
  };
  // prevHash and hash are own members of a chained event, never hashed: counted, not copied
  const chained = leaf(members, 'prevHash') === undefined ? 0 : 1;
  const hashed = leaf(members, 'hash') === undefined ? 0 : 1;
  const present = count(
    copy.action,
    copy.actor,
    copy.change,
    copy.decision,
    copy.eventId,
    copy.outcome,
    copy.reason,
    copy.request,
    copy.resource,
    copy.seq,
    copy.time,
  );
  // read through a call: the copies above set it, which flow analysis cannot see
  if (leftShape() || Object.keys(members).length !== present + chained + hashed) return undefined;
  return JSON.stringify(copy);
}

/** canonicalJson of the event without prevHash and hash, by the generic sorter. */
export function genericEventText(members: Members): string {
  let out = '{';
  for (const key of Object.keys(members).sort()) {
    const member = members[key];
    if (member === undefined || key === 'prevHash' || key === 'hash') continue;
    out += `${out.length === 1 ? '' : ','}${JSON.stringify(key)}:${canonicalJson(member)}`;
  }
  return `${out}}`;
}
