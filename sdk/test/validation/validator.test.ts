import {
  ContractCompileError,
  ContractValidationError,
  ValidatorCache,
  createValidator,
  type ValidationResult,
} from '../../src/validation';
import { fiveTypedRules, makeOrder, orderContract } from './fixtures/order-contract';

function issuesOf(result: ValidationResult) {
  return result.issues ?? [];
}

describe('createValidator', () => {
  const validator = createValidator(orderContract(fiveTypedRules), { cache: false });

  it('accepts a valid order with { ok: true } and no issues', () => {
    expect(validator.validate(makeOrder(1))).toEqual({ ok: true });
    expect(validator.ruleCount).toBe(5);
    expect(validator.dialect).toBe('2020-12');
  });

  it('reports every schema violation with path, code and a severity', () => {
    const order: Record<string, unknown> = {
      ...makeOrder(2),
      order_id: 'not-a-uuid',
      total: 0,
      unexpected: true,
    };
    delete order.status;
    const result = validator.validate(order);
    expect(result.ok).toBe(false);
    expect(issuesOf(result)).toEqual(
      expect.arrayContaining([
        { path: '/order_id', code: 'SCHEMA_FORMAT', message: 'must be a valid uuid', severity: 'error' },
        { path: '/total', code: 'SCHEMA_EXCLUSIVE_MINIMUM', message: 'must be > 0', severity: 'error' },
        {
          path: '/status',
          code: 'SCHEMA_REQUIRED',
          message: 'required property is missing',
          severity: 'error',
        },
        {
          path: '/unexpected',
          code: 'SCHEMA_ADDITIONAL_PROPERTIES',
          message: 'property is not allowed',
          severity: 'error',
        },
      ]),
    );
    expect(issuesOf(result)).toHaveLength(4);
  });

  it('points into nested objects and arrays', () => {
    const order = makeOrder(3);
    (order.items as Record<string, unknown>[])[2]!.quantity = 0;
    (order.customer as Record<string, unknown>).email = 'no-at-sign';
    expect(issuesOf(validator.validate(order)).map((issue) => [issue.path, issue.code])).toEqual([
      ['/customer/email', 'SCHEMA_FORMAT'],
      ['/items/2/quantity', 'SCHEMA_MINIMUM'],
    ]);
  });

  it('runs quality rules only on schema-valid payloads', () => {
    const order = { ...makeOrder(4), shipped_at: '2024-01-01T00:00:00Z', order_id: 'bad' };
    expect(issuesOf(validator.validate(order)).map((issue) => issue.code)).toEqual(['SCHEMA_FORMAT']);
    const fixed = { ...order, order_id: '0f0e0d0c-0b0a-4908-8706-050403020100' };
    expect(issuesOf(validator.validate(fixed))).toEqual([
      {
        path: '/shipped_at',
        code: 'QUALITY_COMPARE',
        rule: 'shipped-after-ordered',
        message: 'must be >= the value at /ordered_at',
        severity: 'error',
      },
    ]);
  });

  it('keeps ok: true when only warnings fire, and reports them', () => {
    const warned = createValidator(
      orderContract([
        { name: 'prefer-web', kind: 'allowedValues', path: '/channel', values: ['web'], severity: 'warning' },
      ]),
      { cache: false },
    );
    const result = warned.validate({ ...makeOrder(5), channel: 'store' });
    expect(result).toEqual({
      ok: true,
      issues: [
        {
          path: '/channel',
          code: 'QUALITY_ALLOWED_VALUES',
          rule: 'prefer-web',
          message: 'must be one of the 1 allowed values',
          severity: 'warning',
        },
      ],
    });
    expect(() => {
      warned.assertValid({ ...makeOrder(5), channel: 'store' });
    }).not.toThrow();
  });

  it('assertValid throws ContractValidationError carrying the same issues', () => {
    const order = { ...makeOrder(6), channel: 'phone' };
    const expected = validator.validate(order);
    let thrown: unknown;
    try {
      validator.assertValid(order);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ContractValidationError);
    expect((thrown as ContractValidationError).code).toBe('CONTRACT_VALIDATION_FAILED');
    expect((thrown as ContractValidationError).issues).toEqual(expected.issues);
    expect(() => {
      validator.assertValid(makeOrder(7));
    }).not.toThrow();
  });

  it('validateBatch reports per index, in order', () => {
    const payloads = [
      makeOrder(1),
      { ...makeOrder(2), total: -5 },
      makeOrder(3),
      'not an object',
      { ...makeOrder(4), channel: 'phone' },
    ];
    const batch = validator.validateBatch(payloads);
    expect(batch.results.map((result) => result.ok)).toEqual([true, false, true, false, false]);
    expect([batch.ok, batch.valid, batch.invalid]).toEqual([false, 2, 3]);
    expect(issuesOf(batch.results[3]!)[0]).toMatchObject({ path: '', code: 'SCHEMA_TYPE' });
    expect(issuesOf(batch.results[4]!)[0]).toMatchObject({ rule: 'known-channel' });
    expect(validator.validateBatch([]).ok).toBe(true);
  });
});

describe('compilation errors', () => {
  it('throws ContractCompileError with paths into the contract', () => {
    const contract = {
      schema: { type: 'object', properties: { a: { $ref: 'https://example.com/a.json' } } },
      quality: [{ name: 'r', kind: 'cel', expression: 'message.a +' }],
    };
    let thrown: unknown;
    try {
      createValidator(contract, { cache: false });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ContractCompileError);
    expect((thrown as ContractCompileError).code).toBe('SCHEMA_EXTERNAL_REF');
    expect((thrown as ContractCompileError).issues.map((issue) => [issue.path, issue.code])).toEqual([
      ['/schema/properties/a', 'SCHEMA_EXTERNAL_REF'],
      ['/quality/0', 'CEL_SYNTAX'],
    ]);
  });

  it('refuses a contract of another apiVersion or without a schema', () => {
    expect(() => createValidator({ apiVersion: 'charter/v9', schema: {} }, { cache: false })).toThrow(
      ContractCompileError,
    );
    expect(() => createValidator({ quality: [] }, { cache: false })).toThrow(/needs a schema/);
  });
});

describe('cache', () => {
  it('reuses the compiled contract for the same id and version', () => {
    const cache = new ValidatorCache();
    const first = createValidator(orderContract(), { identity: { id: 'orders', version: 3 }, cache });
    // Same identity: the cached compilation is used even though this object would not compile.
    const second = createValidator(
      { schema: { requried: true } },
      { identity: { id: 'orders', version: 3 }, cache },
    );
    expect(second.key).toBe('orders@3');
    expect(cache.size).toBe(1);
    expect(second.validate(makeOrder(1))).toEqual(first.validate(makeOrder(1)));
  });

  it('falls back to the canonical hash of the contract', () => {
    const cache = new ValidatorCache();
    const a = createValidator(orderContract(fiveTypedRules), { cache });
    const b = createValidator(JSON.parse(JSON.stringify(orderContract(fiveTypedRules))), { cache });
    const c = createValidator(orderContract(), { cache });
    expect(a.key).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(b.key).toBe(a.key);
    expect(c.key).not.toBe(a.key);
    expect(cache.size).toBe(2);
  });

  it('evicts the least recently used entry beyond its capacity', () => {
    const cache = new ValidatorCache(2);
    for (const version of [1, 2, 1, 3])
      createValidator(orderContract(), { identity: { id: 'o', version }, cache });
    expect([
      cache.get('o@1') !== undefined,
      cache.get('o@2') !== undefined,
      cache.get('o@3') !== undefined,
    ]).toEqual([true, false, true]);
  });

  it('binds each validator to its own clock while sharing the compilation', () => {
    const cache = new ValidatorCache();
    const contract = orderContract([
      { name: 'fresh', kind: 'timestamp', path: '/ordered_at', maxAge: 'P1D' },
    ]);
    const now = Date.parse('2024-03-01T12:00:00Z');
    const early = createValidator(contract, { cache, clock: () => now });
    const late = createValidator(contract, { cache, clock: () => now + 7 * 86_400_000 });
    expect(early.validate(makeOrder(1)).ok).toBe(true);
    expect(late.validate(makeOrder(1)).ok).toBe(false);
    expect(cache.size).toBe(1);
  });
});
