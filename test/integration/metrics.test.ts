import { closedObject, contractText } from '../factories/contracts';
import { createProduct, publish } from '../support/registry';
import { masterKeys } from './governance-fixtures';
import { startTestApp, TEST_ADMIN_KEY, type TestApp } from '../support/test-app';

const TOKEN = 'metrics-token-0123456789abcdef';

/** The value of one sample line, e.g. `charter_contract_publishes_total{outcome="created"}`; 0 when absent. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

describe('/metrics with a token', () => {
  let t: TestApp;
  const scrape = async (): Promise<string> => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    return response.body;
  };
  beforeAll(async () => {
    t = await startTestApp({ config: { metrics: { token: TOKEN, port: null }, masterKeys: masterKeys() } });
    await createProduct(t, 'sales', 'orders');
  });
  afterAll(() => t.close());

  it('refuses a missing or wrong token', async () => {
    for (const headers of [
      {},
      { authorization: 'Bearer wrong-token-0123456789abcdef' },
      { authorization: TOKEN },
    ]) {
      const response = await t.app.inject({ method: 'GET', url: '/metrics', headers });
      expect(response.statusCode).toBe(401);
      expect(response.body).not.toContain('charter_');
    }
  });

  it('moves after a publish, a refused publish and a validation', async () => {
    const before = await scrape();
    const v1 = closedObject({ id: { type: 'string' } }, ['id']);
    expect((await publish(t, 'sales.orders', contractText({ schema: v1 }))).__typename).toBe(
      'ContractVersionPublished',
    );
    const breaking = closedObject({ id: { type: 'string' }, amount: { type: 'number' } }, ['id', 'amount']);
    expect((await publish(t, 'sales.orders', contractText({ schema: breaking }))).__typename).toBe(
      'IncompatibleContract',
    );
    const validated = await t.gql(
      `query($p: [JSON!]!) { validatePayloads(product: "sales.orders", payloads: $p) { valid invalid } }`,
      { p: [{ id: 'a' }, { id: 'b' }, { nope: 1 }] },
    );
    expect(validated.data?.validatePayloads).toEqual({ valid: 2, invalid: 1 });
    const after = await scrape();
    const delta = (series: string) => sample(after, series) - sample(before, series);
    expect(delta('charter_contract_publishes_total{outcome="created"}')).toBe(1);
    expect(delta('charter_contract_publishes_total{outcome="incompatible"}')).toBe(1);
    expect(delta('charter_payload_validations_total{result="valid"}')).toBe(2);
    expect(delta('charter_payload_validations_total{result="invalid"}')).toBe(1);
    expect(
      delta('charter_compatibility_check_duration_seconds_count{mode="BACKWARD",verdict="incompatible"}'),
    ).toBe(1);
    expect(
      delta('charter_compatibility_check_duration_seconds_count{mode="BACKWARD",verdict="compatible"}'),
    ).toBe(1);
    expect(
      delta('charter_requests_total{api="graphql",operation="mutation.publishContractVersion",outcome="ok"}'),
    ).toBe(2);
    expect(
      delta('charter_request_duration_seconds_count{api="graphql",operation="query.validatePayloads"}'),
    ).toBe(1);
    // The publish wrote one audit event and moved the chain head; the refusal wrote none.
    expect(delta('charter_audit_appends_total{action="contract.version.publish"}')).toBe(1);
    expect(sample(after, 'charter_audit_chain_head_seq')).toBeGreaterThan(
      sample(before, 'charter_audit_chain_head_seq'),
    );
    // Both publishes and the validation looked the product up; only the first could miss.
    expect(delta('charter_cache_lookups_total{cache="product",result="hit"}')).toBeGreaterThanOrEqual(2);
    expect(sample(after, 'charter_db_pool_connections{state="max"}')).toBe(10);
    expect(sample(after, 'charter_db_pool_connections{state="total"}')).toBeGreaterThan(0);
  });

  it('counts fields by operator after readPayloads and revealValues, with their audit appends', async () => {
    await createProduct(t, 'sales', 'people');
    const schema = {
      type: 'object',
      properties: {
        id: { type: 'string', maxLength: 40 },
        name: { type: 'string', maxLength: 120, 'x-charter': { tags: ['pii:name'] } },
        ssn: { type: 'string', maxLength: 20, 'x-charter': { tags: ['pii:ssn'] } },
      },
      additionalProperties: false,
    };
    const policy = {
      tags: { 'pii:name': { operator: 'mask', keepFirst: 1 }, 'pii:ssn': { operator: 'encrypt' } },
    };
    expect((await publish(t, 'sales.people', contractText({ schema, policy }))).__typename).toBe(
      'ContractVersionPublished',
    );
    const reader = await t.principalWith('reader', [{ role: 'consumer', product: 'sales.people' }]);
    const before = await scrape();
    const response = await t.gqlAs(
      reader,
      `query($p: [JSON!]!) { readPayloads(product: "sales.people", version: "latest", payloads: $p, purpose: "metrics test") { records } }`,
      {
        p: [
          { id: 'a', name: 'Ada', ssn: '111' },
          { id: 'b', name: 'Bob', ssn: '222' },
          { id: 'c', name: 'Cy', ssn: '333' },
        ],
      },
    );
    expect(response.errors).toBeUndefined();
    const after = await scrape();
    const delta = (series: string) => sample(after, series) - sample(before, series);
    expect(delta('charter_anonymization_fields_total{operation="read",operator="mask"}')).toBe(3);
    expect(delta('charter_anonymization_fields_total{operation="read",operator="clear"}')).toBe(3);
    expect(delta('charter_anonymization_fields_total{operation="read",operator="encrypt"}')).toBe(3);
    expect(delta('charter_audit_appends_total{action="payload.read"}')).toBe(1);
    expect(
      sample(after, 'charter_audit_chain_head_seq') - sample(before, 'charter_audit_chain_head_seq'),
    ).toBe(1);

    const steward = await t.principalWith('steward', [{ role: 'governance', domain: 'sales' }]);
    const encrypted = (response.data!.readPayloads.records as { ssn: string }[]).map((record) => record.ssn);
    const revealed = await t.gqlAs(
      steward,
      `mutation($v: [JSON!]!) { revealValues(product: "sales.people", field: "/ssn", values: $v, justification: "metrics test") }`,
      { v: encrypted },
    );
    expect(revealed.data?.revealValues).toEqual(['111', '222', '333']);
    const final = await scrape();
    const moved = (series: string) => sample(final, series) - sample(after, series);
    expect(moved('charter_anonymization_fields_total{operation="reveal",operator="encrypt"}')).toBe(3);
    expect(moved('charter_audit_appends_total{action="value.reveal"}')).toBe(1);
  });

  it('reports hits and misses of the contract and Confluent served-schema caches, and Confluent compatibility tests', async () => {
    const before = await scrape();
    const basic = `Basic ${Buffer.from(`ci:${TEST_ADMIN_KEY}`).toString('base64')}`;
    for (let i = 0; i < 2; i += 1) {
      const response = await t.app.inject({
        method: 'GET',
        url: '/confluent/subjects/sales.orders-value/versions/1',
        headers: { authorization: basic },
      });
      expect(response.statusCode).toBe(200);
    }
    // A Confluent compatibility test against one version is a check of its own.
    const tested = await t.app.inject({
      method: 'POST',
      url: '/confluent/compatibility/subjects/sales.orders-value/versions/1',
      headers: { authorization: basic, 'content-type': 'application/vnd.schemaregistry.v1+json' },
      payload: {
        schemaType: 'JSON',
        schema: JSON.stringify(closedObject({ id: { type: 'string' } }, ['id'])),
      },
    });
    expect(tested.json()).toEqual({ is_compatible: true });
    const after = await scrape();
    const delta = (series: string) => sample(after, series) - sample(before, series);
    expect(
      delta('charter_compatibility_check_duration_seconds_count{mode="BACKWARD",verdict="compatible"}'),
    ).toBe(1);
    expect(delta('charter_cache_lookups_total{cache="served_schema",result="miss"}')).toBe(1);
    expect(delta('charter_cache_lookups_total{cache="served_schema",result="hit"}')).toBe(1);
    expect(delta('charter_cache_lookups_total{cache="contract",result="hit"}')).toBeGreaterThanOrEqual(1);
    const hits = sample(after, 'charter_cache_lookups_total{cache="served_schema",result="hit"}');
    const misses = sample(after, 'charter_cache_lookups_total{cache="served_schema",result="miss"}');
    expect(sample(after, 'charter_cache_hit_ratio{cache="served_schema"}')).toBeCloseTo(
      hits / (hits + misses),
    );
  });

  it('labels refused documents and REST routes without ids', async () => {
    await t.gql('{ nope }');
    await t.app.inject({ method: 'GET', url: '/health/live' });
    const text = await scrape();
    expect(
      sample(text, 'charter_requests_total{api="graphql",operation="refused",outcome="INVALID_INPUT"}'),
    ).toBeGreaterThan(0);
    expect(sample(text, 'charter_requests_total{api="rest",operation="GET /health/live",outcome="ok"}')).toBe(
      1,
    );
    expect(text).not.toMatch(/sales\.orders|operation="[^"]*[0-9a-f]{8}-/);
  });
});

describe('/metrics without a token or port', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('is off', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: 'Bearer x' },
    });
    expect(response.statusCode).toBe(404);
  });
});
