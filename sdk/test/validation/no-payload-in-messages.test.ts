import fc from 'fast-check';
import type { QualityRule } from '../../src/quality';
import { createValidator, type ValidationIssue } from '../../src/validation';
import { fiveTypedRules, makeOrder, orderContract } from './fixtures/order-contract';

const MARKER = 'ZQXJ-secret-7731';
const NUMBER_MARKER = 424242.4242;

/** Every rule kind, so each message template is exercised. */
const allKinds: QualityRule[] = [
  ...fiveTypedRules,
  { name: 'email-required', kind: 'required', path: '/customer/name' },
  { name: 'notes-length', kind: 'length', path: '/notes', max: 20 },
  { name: 'city-pattern', kind: 'pattern', path: '/shipping_address/city', pattern: '^[A-Z][a-z]+$' },
  {
    name: 'fresh',
    kind: 'timestamp',
    path: '/ordered_at',
    notAfter: '2030-01-01T00:00:00Z',
    maxAge: 'P3650D',
  },
  { name: 'same-currency', kind: 'compare', path: '/subtotal', operator: '<=', other: '/total' },
  {
    name: 'shipped-has-date',
    kind: 'conditional',
    when: { kind: 'allowedValues', path: '/status', values: ['SHIPPED'] },
    then: [{ kind: 'required', path: '/delivery_date' }],
  },
  { name: 'cel-notes', kind: 'cel', expression: '!has(message.notes) || message.notes.size() < 30' },
  // int() of a non-numeric string fails at runtime; cel-js quotes the value in its own error text.
  { name: 'cel-runtime', kind: 'cel', expression: 'int(message.order_number) > 0' },
  { name: 'cel-type', kind: 'cel', expression: 'message.notes + 1 > 0' },
];

const STRING_FIELDS = [
  'order_id',
  'order_number',
  'notes',
  'ordered_at',
  'ip_address',
  'source_url',
  'channel',
  'coupon_code',
];
const NUMBER_FIELDS = ['total', 'subtotal', 'priority'];

const mutation = fc.record({
  strings: fc.subarray(STRING_FIELDS),
  numbers: fc.subarray(NUMBER_FIELDS),
  nested: fc.boolean(),
  extraKey: fc.boolean(),
  suffix: fc.string({ maxLength: 8 }),
});

function mutate(
  seed: number,
  m: typeof mutation extends fc.Arbitrary<infer T> ? T : never,
): Record<string, unknown> {
  const order = makeOrder(seed);
  for (const field of m.strings) order[field] = `${MARKER}${m.suffix}`;
  for (const field of m.numbers) order[field] = NUMBER_MARKER;
  if (m.nested) {
    (order.customer as Record<string, unknown>).email = `${MARKER}@example.com`;
    (order.items as Record<string, unknown>[])[1]!.sku = MARKER;
    (order.shipping_address as Record<string, unknown>).city = MARKER;
  }
  if (m.extraKey) order[MARKER] = MARKER;
  return order;
}

describe('issue messages never contain payload values', () => {
  it('holds for generated payloads carrying marker strings and numbers', () => {
    const schemaAndRules = createValidator(orderContract(allKinds), { cache: false });
    // Rules alone: the schema is permissive so every rule sees the marker values.
    const rulesOnly = createValidator({ schema: { type: 'object' }, quality: allKinds }, { cache: false });
    const seen: ValidationIssue[] = [];
    fc.assert(
      fc.property(fc.nat(10_000), mutation, (seed, m) => {
        const payload = mutate(seed, m);
        for (const validator of [schemaAndRules, rulesOnly]) {
          for (const issue of validator.validate(payload).issues ?? []) {
            seen.push(issue);
            expect(issue.message).not.toContain('ZQXJ');
            expect(issue.message).not.toContain('424242');
            expect(issue.rule ?? '').not.toContain('ZQXJ');
          }
        }
      }),
      { numRuns: 300 },
    );
    // The property is not vacuous: markers produced issues of many kinds.
    const codes = new Set(seen.map((issue) => issue.code));
    const expected = ['SCHEMA_FORMAT', 'SCHEMA_PATTERN', 'SCHEMA_ADDITIONAL_PROPERTIES', 'QUALITY_LENGTH'];
    expected.push(
      'QUALITY_PATTERN',
      'QUALITY_FRESHNESS',
      'QUALITY_CEL',
      'CEL_RUNTIME',
      'CEL_TYPE',
      'QUALITY_COMPARE',
    );
    for (const code of expected) expect(codes).toContain(code);
  });
});
