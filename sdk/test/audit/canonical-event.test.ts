import fc from 'fast-check';
import { canonicalJson } from '../../src/canonical/canonical-json';
import { canonicalAuditEventText, knownShapeEventText } from '../../src/audit/canonical-event';
import { hashedBody } from '../../src/audit/hash-chain';

/** The reference: the generic RFC 8785 serializer over the event without prevHash and hash. */
const reference = (event: object): string => canonicalJson(hashedBody(event as never));

/** Same outcome as the reference: equal text, or the same error when the reference refuses. */
let fastPathTaken = 0;

function sameAsReference(event: object): void {
  const fast = knownShapeEventText(event);
  if (fast !== undefined) {
    fastPathTaken += 1;
    expect(fast).toBe(reference(event)); // the reference never refuses what the fast path writes
  }
  let expected: string | Error;
  try {
    expected = reference(event);
  } catch (error) {
    expected = error as Error;
  }
  if (expected instanceof Error) expect(() => canonicalAuditEventText(event)).toThrow(expected.message);
  else expect(canonicalAuditEventText(event)).toBe(expected);
}

// Strings with escapes, controls, lone surrogates, astral characters and U+2028.
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ maxLength: 12 }),
  fc.constantFrom('', '"', '\\', '\u2028', '\ud800', '\udfff', '😀', 'é', '\u0000\u001f'),
);
const number = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(-0, 1e21, 1e-7, 5e-324, Number.MAX_SAFE_INTEGER, 0.1),
);
/** Any JSON-ish value, so wrong types at known members fall back and still agree. */
const anything = fc.oneof(
  { maxDepth: 2 },
  text,
  number,
  fc.boolean(),
  fc.constantFrom(null, Number.NaN, Number.POSITIVE_INFINITY),
  fc.constant(undefined),
  fc.array(text, { maxLength: 3 }),
  fc.dictionary(text, number, { maxKeys: 3 }),
);
const mostly = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 60, arbitrary: arb }, { weight: 1, arbitrary: anything });
const extra = fc.dictionary(fc.oneof(text, fc.constantFrom('seq', 'zz', 'actor', '__proto__')), anything, {
  maxKeys: 2,
});
const record = (model: Record<string, fc.Arbitrary<unknown>>) =>
  fc
    .tuple(
      fc.record(model, { requiredKeys: [], noNullPrototype: true }),
      fc.oneof({ weight: 20, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: extra }),
    )
    .map(([known, more]) => (more === undefined ? known : { ...known, ...more }));

const actor = record({
  principalId: mostly(text),
  principalType: mostly(text),
  authMethod: mostly(text),
  roles: mostly(fc.array(text, { maxLength: 4 })),
});
const resource = record({
  type: mostly(text),
  id: mostly(text),
  product: mostly(text),
  productId: mostly(text),
  domainId: mostly(text),
  subject: mostly(text),
  version: mostly(number),
  fieldPaths: mostly(fc.array(text, { maxLength: 4 })),
});
const event = record({
  seq: mostly(number),
  eventId: mostly(text),
  time: mostly(text),
  actor: mostly(actor),
  action: mostly(text),
  resource: mostly(resource),
  outcome: mostly(text),
  reason: mostly(text),
  decision: mostly(record({ policyId: mostly(text), policyVersion: mostly(number), ruleId: mostly(text) })),
  request: mostly(
    record({
      requestId: mostly(text),
      correlationId: mostly(text),
      clientId: mostly(text),
      sourceAddress: mostly(text),
      userAgent: mostly(text),
    }),
  ),
  change: mostly(
    record({
      beforeHash: mostly(text),
      afterHash: mostly(text),
      fromVersion: mostly(number),
      toVersion: mostly(number),
      summary: mostly(text),
    }),
  ),
  prevHash: mostly(text),
  hash: mostly(text),
});

describe('canonicalAuditEventText: the specialised serializer equals the generic RFC 8785 one', () => {
  it('byte for byte on 30,000 generated events (known shape, missing members, wrong types, extra keys)', () => {
    fastPathTaken = 0;
    fc.assert(
      fc.property(event, (generated) => {
        sameAsReference(generated);
      }),
      { numRuns: 30_000 },
    );
    // the comparison is about the fast path: most well-typed events must have taken it
    expect(fastPathTaken).toBeGreaterThan(3_000);
  });

  it('on the same events after a JSON round trip (what the verifier reads from an export)', () => {
    fc.assert(
      fc.property(event, (generated) => {
        let parsed: object;
        try {
          parsed = JSON.parse(JSON.stringify(generated)) as object;
        } catch {
          return; // not JSON-representable
        }
        sameAsReference(parsed);
      }),
      { numRuns: 5_000 },
    );
  });

  it('leaves inherited members, non-plain objects and arrays in odd places to the generic form', () => {
    const base = { seq: 1, eventId: 'e', time: 't', action: 'a', outcome: 'success' };
    const inheritsReason = Object.assign(Object.create({ reason: 'inherited' }) as object, base);
    const inheritedActorWithExtra = Object.assign(
      Object.create({ actor: { principalId: 'p', authMethod: 'm', roles: [] } }) as object,
      { ...base, zz: 1 },
    );
    const nullPrototype = Object.assign(Object.create(null) as object, base);
    const sparseRoles = {
      ...base,
      actor: { principalId: 'p', authMethod: 'm', roles: Object.assign(['a', 'b'], { length: 3 }).reverse() },
    };
    const dated = { ...base, resource: { type: 'x', version: new Date(0) } };
    const undefinedMember = { ...base, reason: undefined, request: { requestId: 'r', clientId: undefined } };
    for (const odd of [inheritsReason, inheritedActorWithExtra, sparseRoles, dated, undefinedMember])
      sameAsReference(odd);
    expect(canonicalAuditEventText(nullPrototype)).toBe(canonicalJson({ ...base }));
    expect(canonicalAuditEventText(inheritsReason)).not.toContain('inherited');
  });
});
