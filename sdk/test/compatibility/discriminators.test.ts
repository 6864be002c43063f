import fc from 'fast-check';
import { allOf, Ctx } from '../../src/compatibility/context';
import { plainlyDisjoint } from '../../src/compatibility/discriminators';
import { isEmpty } from '../../src/compatibility/emptiness';
import { Scope, type Schema } from '../../src/compatibility/schema-doc';

const value = fc.oneof(
  fc.constantFrom<Schema>({ type: 'string' }, { type: 'integer' }, true, false, { const: 1, type: 'string' }),
  fc.record({ const: fc.constantFrom('a', 'b', 1) }),
  fc.record({ enum: fc.subarray(['a', 'b', 'c', 1]) }),
);
const branch = fc.record(
  {
    type: fc.constantFrom<unknown>('object', ['object', 'null'], 'string', ['integer', 'object']),
    properties: fc.record({ kind: value, v: value }, { requiredKeys: [] }),
    required: fc.subarray(['kind', 'v']),
    allOf: fc.array(fc.record({ properties: fc.record({ kind: value }), required: fc.subarray(['kind']) }), {
      maxLength: 1,
    }),
  },
  { requiredKeys: [] },
);

describe('plainlyDisjoint', () => {
  it('holds only where the full emptiness proof of allOf(a, b) holds too', () => {
    let shortcuts = 0;
    fc.assert(
      fc.property(branch, branch, (a, b) => {
        const scope = new Scope();
        const wa = scope.add(a).root;
        const wb = scope.add(b).root;
        const ctx = new Ctx(scope, 'backward', false, 1_000_000);
        if (!plainlyDisjoint(ctx, wa, wb)) return;
        shortcuts++;
        expect(isEmpty(new Ctx(scope, 'backward', false, 1_000_000), allOf(wa, wb))).toBe(true);
      }),
      { numRuns: 1000, seed: 11 },
    );
    expect(shortcuts).toBeGreaterThan(50);
  });

  it('never answers for schemas with a reference inside', () => {
    const scope = new Scope();
    const a = scope.add({ type: 'object', properties: { k: { const: 'a' } }, required: ['k'] }).root;
    const b = scope.add({
      $defs: { k: { const: 'b' } },
      type: 'object',
      properties: { k: { $ref: '#/$defs/k' } },
      required: ['k'],
    }).root;
    const ctx = new Ctx(scope, 'backward', false, 1000);
    expect(plainlyDisjoint(ctx, a, b)).toBe(false);
    expect(isEmpty(ctx, allOf(a, b))).toBe(true);
  });
});
