import { closedObject, contractText } from '../factories/contracts';
import { CHECK, createProduct, publish, registryCounts, setMode } from '../support/registry';
import { firstCode, startTestApp, type TestApp } from '../support/test-app';

const base = closedObject({ id: { type: 'string', maxLength: 64 } }, ['id']);
const withOptional = closedObject(
  { id: { type: 'string', maxLength: 64 }, note: { type: 'string', maxLength: 10 } },
  ['id'],
);
const withRequired = closedObject({ id: { type: 'string', maxLength: 64 }, amount: { type: 'integer' } }, [
  'id',
  'amount',
]);

describe('publishing contract versions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await createProduct(t, 'payments', 'orders');
  });
  afterAll(() => t.close());

  it('publishes v1, returns the same version for identical content, and numbers the next one 2', async () => {
    const v1 = await publish(t, 'payments.orders', contractText({ schema: base }));
    expect(v1).toMatchObject({
      __typename: 'ContractVersionPublished',
      created: true,
      contractVersion: { version: 1, product: 'payments.orders' },
    });

    const again = await publish(
      t,
      'payments.orders',
      JSON.stringify(JSON.parse(contractText({ schema: base }))),
    );
    expect(again).toMatchObject({
      created: false,
      contractVersion: { version: 1, id: v1.contractVersion.id },
    });

    const v2 = await publish(t, 'payments.orders', contractText({ schema: withOptional }));
    expect(v2).toMatchObject({ created: true, contractVersion: { version: 2 } });
    expect(v2.contractVersion.id).not.toBe(v1.contractVersion.id);
  });

  it('refuses a breaking change under BACKWARD with each change explained, storing nothing', async () => {
    const before = await registryCounts(t.databaseUrl);
    const refused = await publish(t, 'payments.orders', contractText({ schema: withRequired }));
    expect(refused).toMatchObject({
      __typename: 'IncompatibleContract',
      verdict: 'incompatible',
      mode: 'BACKWARD',
      policy: 'STRICT',
    });
    const breaking = refused.changes.filter((c: { breaking: boolean }) => c.breaking);
    expect(breaking.length).toBeGreaterThan(0);
    for (const change of breaking) {
      expect(change).toMatchObject({ category: 'schema', breaks: ['backward'], againstVersion: 2 });
      expect(change.message.length).toBeGreaterThan(10);
      expect(change.fix).toBeTruthy();
    }
    expect(breaking.map((c: { instancePath: string }) => c.instancePath)).toContain('/amount');
    expect(await registryCounts(t.databaseUrl)).toEqual(before);
  });

  it('dry-runs with checkContract: the same verdict, nothing stored', async () => {
    const before = await registryCounts(t.databaseUrl);
    const bad = await t.gql(CHECK, {
      product: 'payments.orders',
      contract: contractText({ schema: withRequired }),
    });
    expect(bad.data?.checkContract.__typename).toBe('IncompatibleContract');
    const same = await t.gql(CHECK, {
      product: 'payments.orders',
      contract: contractText({ schema: withOptional }),
    });
    expect(same.data?.checkContract).toMatchObject({
      __typename: 'CompatibleContract',
      existingVersion: { version: 2 },
    });
    const fresh = closedObject(
      { id: { type: 'string', maxLength: 64 }, note: { type: 'string', maxLength: 20 } },
      ['id'],
    );
    const good = await t.gql(CHECK, {
      product: 'payments.orders',
      contract: contractText({ schema: fresh }),
    });
    expect(good.data?.checkContract).toMatchObject({
      __typename: 'CompatibleContract',
      mode: 'BACKWARD',
      existingVersion: null,
    });
    expect(await registryCounts(t.databaseUrl)).toEqual(before);
  });

  it('answers InvalidContract with path and code for a broken document', async () => {
    const response = await publish(
      t,
      'payments.orders',
      '{"apiVersion":"charter/v1","kind":"DataContract","schema":{"type":"object","requried":["x"]}}',
    );
    expect(response.__typename).toBe('InvalidContract');
    expect(response.issues[0]).toMatchObject({ path: expect.stringContaining('/schema') });
  });

  it('serves versions by number, latest and global id; identical content shares the id across products', async () => {
    await createProduct(t, 'logistics', 'orders');
    const other = await publish(t, 'logistics.orders', contractText({ schema: base }));
    const first = await t.gql(`{ contractVersion(product: "payments.orders", version: "1") { id version } }`);
    expect(other.contractVersion).toMatchObject({ version: 1, id: first.data?.contractVersion.id });

    const latest = await t.gql(`{ contractVersion(product: "payments.orders") { version text document } }`);
    expect(latest.data?.contractVersion).toMatchObject({
      version: 2,
      text: contractText({ schema: withOptional }),
    });
    expect(latest.data?.contractVersion.document.schema).toEqual(withOptional);

    const byId = await t.gql(
      `query($id: Int!) { contractVersionById(id: $id, product: "logistics.orders") { product version } }`,
      {
        id: first.data?.contractVersion.id,
      },
    );
    expect(byId.data?.contractVersionById).toEqual({ product: 'logistics.orders', version: 1 });
    const list = await t.gql(`{ contractVersions(product: "payments.orders") { version } }`);
    expect(list.data?.contractVersions).toEqual([{ version: 1 }, { version: 2 }]);
  });

  it('answers NOT_FOUND for unknown products and versions, INVALID_INPUT for malformed ones', async () => {
    expect(firstCode(await t.gql(`{ contractVersion(product: "payments.nothing") { id } }`))).toBe(
      'NOT_FOUND',
    );
    expect(
      firstCode(await t.gql(`{ contractVersion(product: "payments.orders", version: "99") { id } }`)),
    ).toBe('NOT_FOUND');
    expect(
      firstCode(await t.gql(`{ contractVersion(product: "payments.orders", version: "x") { id } }`)),
    ).toBe('INVALID_INPUT');
    expect(firstCode(await t.gql(`{ contractVersion(product: "../etc", version: "1") { id } }`))).toBe(
      'INVALID_INPUT',
    );
    expect(firstCode(await t.gql(`{ contractVersionById(id: 999999) { id } }`))).toBe('NOT_FOUND');
  });

  it('diffs two versions', async () => {
    const diff = await t.gql(
      `{ diffContractVersions(product: "payments.orders", from: 1, to: 2, mode: FULL) { compatible mode changes { type breaking breaks } } }`,
    );
    expect(diff.data?.diffContractVersions).toMatchObject({ mode: 'FULL' });
    expect(diff.data?.diffContractVersions.changes.length).toBeGreaterThan(0);
  });
});

describe('compatibility settings', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await createProduct(t, 'billing', 'invoices');
  });
  afterAll(() => t.close());

  const settings = (scope: string) =>
    t.gql(`{ compatibilitySettings${scope} { mode policy modeFrom policyFrom } }`);

  it('resolves product, then domain, then global, then the default', async () => {
    expect((await settings('(scope: { product: "billing.invoices" })')).data?.compatibilitySettings).toEqual({
      mode: 'BACKWARD',
      policy: 'STRICT',
      modeFrom: 'default',
      policyFrom: 'default',
    });
    await t.gql(`mutation { setCompatibilitySettings(input: { mode: FULL }) { mode } }`);
    await t.gql(
      `mutation { setCompatibilitySettings(input: { domain: "billing", policy: SEMANTIC }) { mode } }`,
    );
    await setMode(t, 'billing.invoices', 'FORWARD_TRANSITIVE');
    expect((await settings('(scope: { product: "billing.invoices" })')).data?.compatibilitySettings).toEqual({
      mode: 'FORWARD_TRANSITIVE',
      policy: 'SEMANTIC',
      modeFrom: 'product',
      policyFrom: 'domain',
    });
    expect((await settings('(scope: { domain: "billing" })')).data?.compatibilitySettings).toMatchObject({
      mode: 'FULL',
      modeFrom: 'global',
    });
    await t.gql(`mutation { clearCompatibilitySettings(scope: { product: "billing.invoices" }) { mode } }`);
    expect(
      (await settings('(scope: { product: "billing.invoices" })')).data?.compatibilitySettings,
    ).toMatchObject({ mode: 'FULL', modeFrom: 'global' });
    await t.gql(`mutation { clearCompatibilitySettings(scope: {}) { mode } }`);
  });

  it('refuses an ambiguous scope or an empty change', async () => {
    expect(
      firstCode(
        await t.gql(
          `mutation { setCompatibilitySettings(input: { product: "billing.invoices", domain: "billing", mode: NONE }) { mode } }`,
        ),
      ),
    ).toBe('INVALID_INPUT');
    expect(
      firstCode(
        await t.gql(`mutation { setCompatibilitySettings(input: { product: "billing.invoices" }) { mode } }`),
      ),
    ).toBe('INVALID_INPUT');
    expect(
      firstCode(
        await t.gql(
          `mutation { setCompatibilitySettings(input: { domain: "nowhere", mode: NONE }) { mode } }`,
        ),
      ),
    ).toBe('NOT_FOUND');
  });
});

describe('searching products by contract field', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await createProduct(t, 'crm', 'customers');
    await t.gql(
      `mutation { createDataProduct(input: { domain: "crm", name: "visits", owningTeam: "t" }) { id } }`,
    );
    const email = {
      type: 'string',
      maxLength: 200,
      'x-charter': { classification: 'confidential', tags: ['pii:email'] },
    };
    await publish(
      t,
      'crm.customers',
      contractText({ schema: closedObject({ contact: closedObject({ email }) }) }),
    );
    await publish(
      t,
      'crm.visits',
      contractText({ schema: closedObject({ page: { type: 'string', maxLength: 10 } }) }),
    );
    // a field named email and another tagged pii:phone, never both on one field
    await t.gql(
      `mutation { createDataProduct(input: { domain: "crm", name: "leads", owningTeam: "t" }) { id } }`,
    );
    const mobile = { type: 'string', maxLength: 20, 'x-charter': { tags: ['pii:phone'] } };
    await publish(
      t,
      'crm.leads',
      contractText({ schema: closedObject({ email: { type: 'string', maxLength: 200 }, mobile }) }),
    );
  });
  afterAll(() => t.close());

  const search = async (filter: Record<string, string>) => {
    const response = await t.gql(
      `query($f: DataProductFilter) { dataProducts(filter: $f) { nodes { fullName } } }`,
      { f: filter },
    );
    return response.data?.dataProducts.nodes.map((n: { fullName: string }) => n.fullName);
  };

  it('finds every product whose latest contract has a field with a tag or a name', async () => {
    expect(await search({ fieldTag: 'pii:email' })).toEqual(['crm.customers']);
    expect(await search({ fieldName: 'page' })).toEqual(['crm.visits']);
    expect(await search({ fieldName: 'email', fieldTag: 'pii:email' })).toEqual(['crm.customers']);
    expect(await search({ fieldName: 'email' })).toEqual(['crm.customers', 'crm.leads']);
    expect(await search({ fieldTag: 'pii:phone' })).toEqual(['crm.leads']);
    expect(await search({ fieldTag: 'pii:ssn' })).toEqual([]);
  });

  it('matches a name and a tag only on the same field', async () => {
    expect(await search({ fieldName: 'email', fieldTag: 'pii:phone' })).toEqual([]);
    expect(await search({ fieldName: 'mobile', fieldTag: 'pii:phone' })).toEqual(['crm.leads']);
  });

  it('looks only at the latest live version', async () => {
    await setMode(t, 'crm.customers', 'NONE');
    await publish(
      t,
      'crm.customers',
      contractText({ schema: closedObject({ id: { type: 'string', maxLength: 10 } }) }),
    );
    expect(await search({ fieldTag: 'pii:email' })).toEqual([]);
    await t.gql(`mutation { deleteContractVersion(product: "crm.customers", version: 2) }`);
    expect(await search({ fieldTag: 'pii:email' })).toEqual(['crm.customers']);
  });
});
