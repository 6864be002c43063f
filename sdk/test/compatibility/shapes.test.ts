import fc from 'fast-check';
import { deepEqual } from '../../src/compatibility/evaluate';
import type { Schema } from '../../src/compatibility/schema-doc';
import { Shapes } from '../../src/compatibility/shapes';

const leaf = fc.oneof(
  fc.constantFrom({ type: 'string' }, { type: 'integer' }, { const: 1 }, { const: '1' }, true, false),
  fc.record({ enum: fc.array(fc.constantFrom(1, '1', null, [1], { a: 1 }), { maxLength: 2 }) }),
  fc.record({ type: fc.constant('string'), maxLength: fc.nat(2) }, { requiredKeys: [] }),
);
const schema = fc.letrec((tie) => ({
  s: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.record(
      {
        properties: fc.dictionary(fc.constantFrom('a', 'b', '#1'), tie('s'), { maxKeys: 2 }),
        required: fc.subarray(['a', 'b']),
        items: fc.oneof(tie('s'), fc.array(tie('s'), { maxLength: 2 })),
        oneOf: fc.array(tie('s'), { minLength: 1, maxLength: 2 }),
        not: tie('s'),
        const: fc.constantFrom('#1', { not: true }, [true]),
      },
      { requiredKeys: [] },
    ),
  ),
})).s;

/** The same value with every object's keys in reverse order. */
function reordered(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reordered);
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(
    Object.keys(v)
      .reverse()
      .map((k) => [k, reordered((v as Record<string, unknown>)[k])]),
  );
}

describe('shape ids', () => {
  it('are equal exactly when two plain schemas are deeply equal', () => {
    fc.assert(
      fc.property(schema, schema, (a, b) => {
        const shapes = new Shapes(() => false);
        const same = shapes.of(a) === shapes.of(b);
        expect(shapes.of(a)).toBeDefined();
        expect(same).toBe(deepEqual(a, b));
        expect(shapes.of(reordered(a) as Schema)).toBe(shapes.of(a));
      }),
      { numRuns: 500, seed: 3 },
    );
  });

  it('leave out nodes whose meaning depends on their place or on hidden state', () => {
    const synthesized = { allOf: [{ type: 'string' }] };
    const shapes = new Shapes((node) => node === synthesized);
    expect(shapes.of({ $ref: '#/$defs/a' })).toBeUndefined();
    expect(shapes.of({ properties: { a: { $id: 'x' } } })).toBeUndefined();
    expect(shapes.of({ anyOf: [{ $anchor: 'x' }] })).toBeUndefined();
    expect(shapes.of({ const: Number.NaN })).toBeUndefined();
    expect(shapes.of({ const: undefined })).toBeUndefined();
    expect(shapes.of({ const: new Date(0) })).toBeUndefined();
    expect(shapes.of(synthesized)).toBeUndefined();
    expect(shapes.of({ not: synthesized })).toBeUndefined();
    expect(shapes.of({ allOf: [{ type: 'string' }] })).toBeDefined();
  });

  it('tell a subschema from a literal that looks like it', () => {
    const shapes = new Shapes(() => false);
    expect(shapes.of({ not: { type: 'string' } })).not.toBe(shapes.of({ not: '{"type":"string"}' }));
    expect(shapes.of({ const: { type: 'string' } })).not.toBe(shapes.of({ not: { type: 'string' } }));
    expect(shapes.of({ items: [true] })).not.toBe(shapes.of({ items: true }));
  });
});
