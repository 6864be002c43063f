import { createValidator } from '@charter/sdk';
import { closedObject, contractDocument } from '../factories/contracts';
import { createProduct, publish } from '../support/registry';
import { firstCode, startTestApp, type TestApp } from '../support/test-app';

const address = closedObject(
  { street: { type: 'string', maxLength: 80 }, postcode: { type: 'string', pattern: '^[0-9]{5}$' } },
  ['street'],
);
const schema = closedObject(
  {
    id: { type: 'string', format: 'uuid' },
    email: { type: 'string', format: 'email', maxLength: 100, 'x-charter': { tags: ['pii:email'] } },
    amount: { type: 'number', minimum: 0, maximum: 10000 },
    currency: { enum: ['EUR', 'USD'] },
    address,
    items: {
      type: 'array',
      maxItems: 5,
      items: closedObject({ sku: { type: 'string', maxLength: 8 }, qty: { type: 'integer', minimum: 1 } }, [
        'sku',
        'qty',
      ]),
    },
  },
  ['id', 'amount', 'currency'],
);
const quality = [
  {
    name: 'big-orders-have-email',
    kind: 'conditional',
    when: { kind: 'range', path: '/amount', min: 1000 },
    then: [{ kind: 'required', path: '/email' }],
  },
  { name: 'qty-bounded', kind: 'range', path: '/items/*/qty', max: 50, severity: 'warning' },
];

/** A deterministic generator: valid payloads, half of them then broken in one or two places. */
function payloads(count: number, seed = 42): unknown[] {
  let state = seed;
  const next = (): number => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const pick = <T>(values: T[]): T => values[Math.floor(next() * values.length)]!;
  const breakages: ((p: Record<string, unknown>, i: number) => void)[] = [
    (p) => (p.id = 'not-a-uuid'),
    (p) => (p.amount = pick([-1, 20000, 'x'])),
    (p) => (p.currency = 'GBP'),
    (p, i) => (p.email = `secret-value-${i}`),
    (p) => (p.address = pick([{ street: 'x', postcode: '1234' }, { postcode: '12345' }])),
    (p) => (p.items = [{ sku: 'TOO-LONG-SKU', qty: 0 }]),
    (p) => (p.extra = 'unexpected'),
    (p) => {
      p.amount = 5000;
      delete p.email;
    },
  ];
  return Array.from({ length: count }, (_, i) => {
    const payload: Record<string, unknown> = {
      id: '6f1c1f1e-2f5a-4bda-9f1a-1c2b3d4e5f60',
      amount: pick([0, 10.5, 999, 1500]),
      currency: pick(['EUR', 'USD']),
      email: pick(['a@example.com', 'b@example.org']),
    };
    if (next() < 0.5) payload.address = { street: 'Main 1', postcode: '12345' };
    if (next() < 0.5) payload.items = [{ sku: 'A1', qty: pick([1, 5, 60]) }];
    if (next() < 0.5) {
      const breaks = 1 + Math.floor(next() * 2);
      for (let b = 0; b < breaks; b += 1) pick(breakages)(payload, i);
    }
    return payload;
  });
}

const VALIDATE = `query($p: String!, $v: String!, $payloads: [JSON!]!) {
  validatePayloads(product: $p, version: $v, payloads: $payloads) {
    ok valid invalid version results { ok issues { path code rule message severity } } } }`;

describe('validatePayloads (the SDK kernel behind GraphQL)', () => {
  let t: TestApp;
  const document = contractDocument({ schema, quality });
  beforeAll(async () => {
    t = await startTestApp({ config: { rateLimit: { perMinute: 100_000, burst: 100_000 } } });
    await createProduct(t, 'shop', 'orders');
    const published = await publish(t, 'shop.orders', JSON.stringify(document));
    expect(published).toMatchObject({ __typename: 'ContractVersionPublished' });
  });
  afterAll(() => t.close());

  it('judges 10,000 generated payloads exactly as the SDK does', async () => {
    const all = payloads(10_000);
    const sdk = createValidator(document, { cache: false });
    let invalid = 0;
    for (let start = 0; start < all.length; start += 1000) {
      const chunk = all.slice(start, start + 1000);
      const response = await t.gql(VALIDATE, { p: 'shop.orders', v: 'latest', payloads: chunk });
      expect(response.errors).toBeUndefined();
      const service = response.data?.validatePayloads;
      const local = sdk.validateBatch(chunk);
      const normalized = local.results.map((r) => ({
        ok: r.ok,
        issues: (r.issues ?? []).map((issue) => ({ ...issue, rule: issue.rule ?? null })),
      }));
      expect(service.results).toEqual(normalized);
      expect({ ok: service.ok, valid: service.valid, invalid: service.invalid }).toEqual({
        ok: local.ok,
        valid: local.valid,
        invalid: local.invalid,
      });
      invalid += local.invalid;
    }
    expect(invalid).toBeGreaterThan(3000); // a real mix of valid and invalid payloads
    expect(invalid).toBeLessThan(7000);
  });

  it('never puts a payload value in a message', async () => {
    const response = await t.gql(VALIDATE, { p: 'shop.orders', v: '1', payloads: payloads(300, 7) });
    const messages = JSON.stringify(
      response.data?.validatePayloads.results.flatMap((r: { issues: { message: string }[] }) =>
        r.issues.map((i) => i.message),
      ),
    );
    expect(messages).not.toMatch(/secret-value|not-a-uuid|unexpected|TOO-LONG-SKU/);
  });

  it('caps the batch size and answers NOT_FOUND for unknown products', async () => {
    expect(firstCode(await t.gql(VALIDATE, { p: 'shop.orders', v: 'latest', payloads: [] }))).toBe(
      'INVALID_INPUT',
    );
    expect(
      firstCode(await t.gql(VALIDATE, { p: 'shop.orders', v: 'latest', payloads: Array(1001).fill({}) })),
    ).toBe('INVALID_INPUT');
    expect(firstCode(await t.gql(VALIDATE, { p: 'shop.nothing', v: 'latest', payloads: [{}] }))).toBe(
      'NOT_FOUND',
    );
  });
});
