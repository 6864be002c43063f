import { canonicalHash, canonicalJson, CanonicalJsonError } from '../../src/canonical/canonical-json';

describe('canonicalJson (RFC 8785)', () => {
  it.each([
    [{ b: 1, a: [true, null, 'x'] }, '{"a":[true,null,"x"],"b":1}'],
    [
      { '\u20ac': 1, '\r': 2, '1': 3, '\ud83d\ude00': 4, '\u00f6': 5 },
      '{"\\r":2,"1":3,"\u00f6":5,"\u20ac":1,"\ud83d\ude00":4}',
    ],
    [[1e21, 1e-7, -0, 0.1, 333333333.3333333], '[1e+21,1e-7,0,0.1,333333333.3333333]'],
    [{ a: undefined, b: { d: 1, c: 2 } }, '{"b":{"c":2,"d":1}}'],
    ['\u2028"\\', '"\u2028\\"\\\\"'],
  ])('serialises %j canonically', (input, expected) => {
    expect(canonicalJson(input)).toBe(expected);
  });

  it('gives the same hash for the same content in any key order', () => {
    expect(canonicalHash({ a: 1, b: { c: [1, 2] } })).toBe(canonicalHash({ b: { c: [1, 2] }, a: 1 }));
    expect(canonicalHash({ a: 1 })).not.toBe(canonicalHash({ a: 2 }));
    expect(canonicalHash({})).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses values that have no JSON form', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(CanonicalJsonError);
    expect(() => canonicalJson({ a: Infinity })).toThrow(CanonicalJsonError);
    expect(() => canonicalJson(() => 1)).toThrow(CanonicalJsonError);
  });
});
