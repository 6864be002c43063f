import { compileSchema } from '../../src/validation';

describe('compileSchema on the shared per-dialect compiler', () => {
  it('compiles boolean schemas again and again', () => {
    for (let i = 0; i < 3; i += 1) {
      const yes = compileSchema(true);
      const no = compileSchema(false);
      expect(yes.ok && yes.validate({ any: 'thing' })).toBe(true);
      expect(no.ok && no.validate({})).toBe(false);
    }
  });

  it('compiles the same $id twice without a clash, each validator keeping its own rules', () => {
    const first = compileSchema({ $id: 'https://example.com/order.json', type: 'string' });
    const second = compileSchema({ $id: 'https://example.com/order.json', type: 'integer' });
    expect(first.ok && second.ok).toBe(true);
    if (!first.ok || !second.ok) return;
    expect([first.validate('x'), first.validate(1)]).toEqual([true, false]);
    expect([second.validate('x'), second.validate(1)]).toEqual([false, true]);
  });
});
