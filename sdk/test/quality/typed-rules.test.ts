import type { QualityRule } from '../../src/quality';
import { createValidator } from '../../src/validation';
import { NOW, failures, issuesFor } from './helpers';

describe('required', () => {
  const rule: QualityRule = { name: 'email', kind: 'required', path: '/customer/email' };

  it('passes when present, fails when missing or null, including a missing parent', () => {
    expect(failures([rule], { customer: { email: 'x' } })).toEqual([]);
    expect(failures([rule], { customer: { email: null } })).toEqual([
      ['/customer/email', 'QUALITY_REQUIRED'],
    ]);
    expect(failures([rule], { customer: {} })).toEqual([['/customer/email', 'QUALITY_REQUIRED']]);
    expect(failures([rule], {})).toEqual([['/customer/email', 'QUALITY_REQUIRED']]);
  });

  it('checks every array item through a wildcard', () => {
    const sku: QualityRule = { name: 'sku', kind: 'required', path: '/items/*/sku' };
    expect(failures([sku], { items: [{ sku: 'a' }, {}, { sku: null }] })).toEqual([
      ['/items/1/sku', 'QUALITY_REQUIRED'],
      ['/items/2/sku', 'QUALITY_REQUIRED'],
    ]);
    expect(failures([sku], { items: [] })).toEqual([]);
  });

  it('never reads inherited properties', () => {
    const proto: QualityRule = { name: 'proto', kind: 'required', path: '/constructor' };
    expect(failures([proto], {})).toEqual([['/constructor', 'QUALITY_REQUIRED']]);
    expect(
      failures([{ name: 'p', kind: 'required', path: '/__proto__/x' }], JSON.parse('{"__proto__":{"x":1}}')),
    ).toEqual([]);
  });
});

describe('range', () => {
  const rule: QualityRule = {
    name: 'amount',
    kind: 'range',
    path: '/amount',
    min: 0,
    max: 100,
    exclusiveMin: true,
  };

  it.each([
    [50, true],
    [100, true],
    [0, false],
    [100.01, false],
    ['50', false],
  ])('value %p passes: %p', (amount, passes) => {
    expect(failures([rule], { amount })).toEqual(passes ? [] : [['/amount', 'QUALITY_RANGE']]);
  });

  it('skips a missing target and describes the bounds without the value', () => {
    expect(failures([rule], {})).toEqual([]);
    expect(issuesFor([rule], { amount: 777 })[0]?.message).toBe('must be a number > 0 and <= 100');
  });
});

describe('length', () => {
  const rule: QualityRule = { name: 'code', kind: 'length', path: '/code', min: 2, max: 3 };

  it('counts code points in strings and items in arrays', () => {
    expect(failures([rule], { code: 'ab' })).toEqual([]);
    expect(failures([rule], { code: '😀😀😀' })).toEqual([]);
    expect(failures([rule], { code: 'a' })).toEqual([['/code', 'QUALITY_LENGTH']]);
    expect(failures([rule], { code: 'abcd' })).toEqual([['/code', 'QUALITY_LENGTH']]);
    expect(failures([rule], { code: [1, 2] })).toEqual([]);
    expect(failures([rule], { code: [1] })).toEqual([['/code', 'QUALITY_LENGTH']]);
    expect(failures([rule], { code: 12 })).toEqual([['/code', 'QUALITY_LENGTH']]);
  });
});

describe('pattern', () => {
  const rule: QualityRule = { name: 'country', kind: 'pattern', path: '/country', pattern: '^[A-Z]{2}$' };

  it('matches with RE2 semantics', () => {
    expect(failures([rule], { country: 'FR' })).toEqual([]);
    expect(failures([rule], { country: 'fr' })).toEqual([['/country', 'QUALITY_PATTERN']]);
    expect(failures([rule], { country: 33 })).toEqual([['/country', 'QUALITY_PATTERN']]);
  });

  it('runs a ReDoS pattern on 100 KB in under 100 ms', () => {
    const redos: QualityRule = { name: 'r', kind: 'pattern', path: '/s', pattern: '^(a+)+$' };
    const validator = createValidator({ schema: { type: 'object' }, quality: [redos] }, { cache: false });
    expect(validator.validate({ s: 'aaa!' }).ok).toBe(false); // compile and warm up outside the timing
    const started = performance.now();
    const result = validator.validate({ s: `${'a'.repeat(100_000)}!` });
    expect(performance.now() - started).toBeLessThan(100);
    expect(result.issues?.map((issue) => issue.code)).toEqual(['QUALITY_PATTERN']);
  });
});

describe('allowedValues', () => {
  const rule: QualityRule = {
    name: 'status',
    kind: 'allowedValues',
    path: '/status',
    values: ['A', 'B', 3, true],
  };

  it('accepts listed values only, with strict equality', () => {
    expect(failures([rule], { status: 'A' })).toEqual([]);
    expect(failures([rule], { status: 3 })).toEqual([]);
    expect(failures([rule], { status: true })).toEqual([]);
    expect(failures([rule], { status: 'C' })).toEqual([['/status', 'QUALITY_ALLOWED_VALUES']]);
    expect(failures([rule], { status: '3' })).toEqual([['/status', 'QUALITY_ALLOWED_VALUES']]);
  });
});

describe('timestamp', () => {
  const bounds: QualityRule = {
    name: 'window',
    kind: 'timestamp',
    path: '/at',
    notBefore: '2024-01-01T00:00:00Z',
    notAfter: '2024-12-31',
  };

  it('applies absolute bounds to dates and date-times, honouring offsets', () => {
    expect(failures([bounds], { at: '2024-05-05T10:00:00+02:00' })).toEqual([]);
    expect(failures([bounds], { at: '2024-01-01' })).toEqual([]);
    expect(failures([bounds], { at: '2024-01-01T00:30:00+01:00' })).toEqual([['/at', 'QUALITY_TIMESTAMP']]);
    expect(failures([bounds], { at: '2025-01-01T00:00:00Z' })).toEqual([['/at', 'QUALITY_TIMESTAMP']]);
    expect(failures([bounds], { at: 'yesterday' })).toEqual([['/at', 'QUALITY_TIMESTAMP']]);
    expect(failures([bounds], { at: 1717243200000 })).toEqual([['/at', 'QUALITY_TIMESTAMP']]);
  });

  it('checks freshness against the injected clock', () => {
    const fresh: QualityRule = {
      name: 'fresh',
      kind: 'timestamp',
      path: '/at',
      maxAge: 'PT24H',
      maxAhead: 'PT5M',
    };
    expect(failures([fresh], { at: '2024-06-01T00:00:00Z' })).toEqual([]);
    expect(failures([fresh], { at: '2024-05-31T11:59:59Z' })).toEqual([['/at', 'QUALITY_FRESHNESS']]);
    expect(failures([fresh], { at: '2024-06-01T12:04:00Z' })).toEqual([]);
    expect(failures([fresh], { at: '2024-06-01T12:06:00Z' })).toEqual([['/at', 'QUALITY_FRESHNESS']]);
    expect(failures([fresh], { at: '2024-05-31T11:59:59Z' }, NOW - 3_600_000)).toEqual([]);
  });

  it('refuses bad bounds and durations at compile time', () => {
    expect(() => issuesFor([{ name: 'x', kind: 'timestamp', path: '/at', maxAge: 'P1M' }], {})).toThrow(
      /ISO 8601 duration/,
    );
    expect(() => issuesFor([{ name: 'x', kind: 'timestamp', path: '/at', notBefore: 'soon' }], {})).toThrow(
      /RFC 3339/,
    );
  });
});

describe('compare', () => {
  const shipped: QualityRule = {
    name: 'ship',
    kind: 'compare',
    path: '/shipped_at',
    operator: '>=',
    other: '/ordered_at',
  };

  it('compares timestamps as instants', () => {
    expect(
      failures([shipped], { ordered_at: '2024-01-01T10:00:00Z', shipped_at: '2024-01-01T11:00:00+01:00' }),
    ).toEqual([]);
    expect(
      failures([shipped], { ordered_at: '2024-01-01T10:00:00Z', shipped_at: '2024-01-01T10:30:00+01:00' }),
    ).toEqual([['/shipped_at', 'QUALITY_COMPARE']]);
    expect(failures([shipped], { ordered_at: '2024-01-01T10:00:00Z' })).toEqual([]);
  });

  it('compares numbers, pairs wildcards by index and fails mismatched types', () => {
    const qty: QualityRule = {
      name: 'q',
      kind: 'compare',
      path: '/items/*/shipped',
      operator: '<=',
      other: '/items/*/ordered',
    };
    const payload = {
      items: [
        { ordered: 2, shipped: 2 },
        { ordered: 1, shipped: 3 },
        { ordered: 'x', shipped: 1 },
      ],
    };
    expect(failures([qty], payload)).toEqual([
      ['/items/1/shipped', 'QUALITY_COMPARE'],
      ['/items/2/shipped', 'QUALITY_COMPARE'],
    ]);
    const total: QualityRule = {
      name: 't',
      kind: 'compare',
      path: '/items/*/price',
      operator: '<',
      other: '/cap',
    };
    expect(failures([total], { cap: 10, items: [{ price: 5 }, { price: 10 }] })).toEqual([
      ['/items/1/price', 'QUALITY_COMPARE'],
    ]);
  });

  it('supports every operator and explicit string comparison', () => {
    const ops = ['<', '<=', '==', '!=', '>=', '>'] as const;
    const passes = ops.map(
      (operator) =>
        failures([{ name: 'c', kind: 'compare', path: '/a', operator, other: '/b' }], { a: 1, b: 2 })
          .length === 0,
    );
    expect(passes).toEqual([true, true, false, true, false, false]);
    const text: QualityRule = {
      name: 's',
      kind: 'compare',
      path: '/a',
      operator: '<',
      other: '/b',
      as: 'string',
    };
    expect(failures([text], { a: '2024-02-01', b: '2024-10-01' })).toEqual([]);
  });

  it('refuses an "other" path with more wildcards than "path"', () => {
    expect(() =>
      issuesFor([{ name: 'w', kind: 'compare', path: '/a', operator: '==', other: '/b/*' }], {}),
    ).toThrow(/wildcards/);
  });
});

describe('unique', () => {
  it('flags the later duplicates by key', () => {
    const rule: QualityRule = { name: 'sku', kind: 'unique', path: '/items', keys: ['/sku'] };
    const items = [{ sku: 'A' }, { sku: 'B' }, { sku: 'A' }, { sku: 'A' }, {}];
    expect(failures([rule], { items })).toEqual([
      ['/items/2', 'QUALITY_UNIQUE'],
      ['/items/3', 'QUALITY_UNIQUE'],
    ]);
    expect(failures([rule], { items: [{ sku: 'A' }, { sku: 'a' }] })).toEqual([]);
  });

  it('combines several keys, distinguishes types and compares whole items without keys', () => {
    const pair: QualityRule = { name: 'p', kind: 'unique', path: '/rows', keys: ['/a', '/b'] };
    expect(
      failures([pair], {
        rows: [
          { a: 1, b: 2 },
          { a: 1, b: 3 },
          { a: '1', b: 2 },
        ],
      }),
    ).toEqual([]);
    expect(
      failures([pair], {
        rows: [
          { a: 1, b: 2 },
          { b: 2, a: 1 },
        ],
      }),
    ).toEqual([['/rows/1', 'QUALITY_UNIQUE']]);
    const whole: QualityRule = { name: 'w', kind: 'unique', path: '/tags' };
    expect(failures([whole], { tags: ['x', { k: [1] }, 'y', { k: [1] }] })).toEqual([
      ['/tags/3', 'QUALITY_UNIQUE'],
    ]);
  });

  it('applies inside nested arrays through wildcards', () => {
    const rule: QualityRule = { name: 'n', kind: 'unique', path: '/orders/*/lines', keys: ['/id'] };
    const payload = { orders: [{ lines: [{ id: 1 }, { id: 1 }] }, { lines: [{ id: 1 }] }] };
    expect(failures([rule], payload)).toEqual([['/orders/0/lines/1', 'QUALITY_UNIQUE']]);
  });
});

describe('conditional', () => {
  const rule: QualityRule = {
    name: 'shipped-needs-date',
    kind: 'conditional',
    severity: 'error',
    when: { kind: 'allowedValues', path: '/status', values: ['SHIPPED'] },
    then: [
      { kind: 'required', path: '/shipped_at' },
      { kind: 'compare', path: '/shipped_at', operator: '>=', other: '/ordered_at' },
    ],
  };

  it('applies the then-checks only when the condition holds', () => {
    expect(failures([rule], { status: 'PLACED' })).toEqual([]);
    expect(failures([rule], {})).toEqual([]);
    expect(failures([rule], { status: 'SHIPPED' })).toEqual([['/shipped_at', 'QUALITY_REQUIRED']]);
    expect(
      failures([rule], { status: 'SHIPPED', ordered_at: '2024-01-02', shipped_at: '2024-01-01' }),
    ).toEqual([['/shipped_at', 'QUALITY_COMPARE']]);
    expect(issuesFor([rule], { status: 'SHIPPED' })[0]?.rule).toBe('shipped-needs-date');
  });
});

describe('severity', () => {
  it('reports warnings without failing the payload', () => {
    const rule: QualityRule = { name: 'w', kind: 'range', path: '/n', max: 1, severity: 'warning' };
    expect(issuesFor([rule], { n: 2 })).toEqual([
      { path: '/n', code: 'QUALITY_RANGE', rule: 'w', message: 'must be a number <= 1', severity: 'warning' },
    ]);
  });
});
