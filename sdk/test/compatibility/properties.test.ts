import fc from 'fast-check';
import Ajv from 'ajv';
import { checkCompatibility, COMPATIBILITY_POLICIES } from '../../src/compatibility';

const ajv = new Ajv({ strict: false });

const leaf = fc.oneof(
  fc.record({ type: fc.constant('string'), maxLength: fc.nat(6) }, { requiredKeys: ['type'] }),
  fc.record(
    {
      type: fc.constant('integer'),
      minimum: fc.integer({ min: -3, max: 3 }),
      maximum: fc.integer({ min: -3, max: 3 }),
    },
    { requiredKeys: ['type'] },
  ),
  fc.record({
    enum: fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 1, null), { minLength: 1, maxLength: 3 }),
  }),
  fc.constant({ type: ['string', 'null'] }),
  fc.constant({}),
);
const schema = fc.oneof(
  leaf,
  fc.record({
    type: fc.constant('object'),
    properties: fc.dictionary(fc.constantFrom('a', 'b', 'c'), leaf, { maxKeys: 3 }),
    required: fc.subarray(['a', 'b']),
    additionalProperties: fc.boolean(),
  }),
  fc.record({ anyOf: fc.array(leaf, { minLength: 1, maxLength: 3 }) }),
  fc.record({ oneOf: fc.array(leaf, { minLength: 1, maxLength: 3 }) }),
  fc.record(
    { type: fc.constant('array'), items: leaf, maxItems: fc.nat(3) },
    { requiredKeys: ['type', 'items'] },
  ),
);
const value = fc.oneof(
  fc.constantFrom(null, true, 0, 1, -2, 'a', 'abc', 'abcdefgh', [], {}),
  fc.dictionary(fc.constantFrom('a', 'b', 'c', 'x'), fc.constantFrom(null, 1, 'a', 'zzzzzzz'), {
    maxKeys: 3,
  }),
  fc.array(fc.constantFrom(1, 'a', null), { maxLength: 4 }),
);

describe('soundness: an instance valid under the old schema and invalid under the new one', () => {
  it.each(COMPATIBILITY_POLICIES)('never lets the pair pass BACKWARD under %s', (policy) => {
    fc.assert(
      fc.property(schema, schema, value, (old, proposed, instance) => {
        fc.pre(ajv.validate(old, instance) && !ajv.validate(proposed, instance));
        const result = checkCompatibility({ mode: 'BACKWARD', policy, history: [old], proposed });
        expect(result.verdict).not.toBe('compatible');
      }),
      { numRuns: 300, seed: 42 },
    );
  });

  it('accepts every schema against itself under SEMANTIC', () => {
    fc.assert(
      fc.property(schema, (s) => {
        expect(checkCompatibility({ policy: 'SEMANTIC', history: [s], proposed: s }).verdict).toBe(
          'compatible',
        );
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});
