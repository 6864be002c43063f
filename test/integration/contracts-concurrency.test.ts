import { prepareContract } from '@charter/sdk';
import { Client } from 'pg';
import { closedObject, contractText } from '../factories/contracts';
import { createProduct, publish, setMode } from '../support/registry';
import { startTestApp, type TestApp } from '../support/test-app';

const base = closedObject({ a: { type: 'string', maxLength: 20 } }, ['a']);

/** C-00 invariants: versions 1..n without gaps per product, ids unique, every version has content. */
async function checkInvariants(databaseUrl: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const gaps = await client.query(`SELECT p.id FROM data_products p
      WHERE p.latest_version <> coalesce((SELECT max(version) FROM contract_versions v WHERE v.product_id = p.id), 0)
         OR (SELECT count(*) FROM contract_versions v WHERE v.product_id = p.id AND v.deleted_at IS NULL AND v.version > p.latest_version) > 0`);
    expect(gaps.rows).toEqual([]);
    const idle = await client.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction' AND state_change < now() - interval '2 seconds'`,
    );
    expect(idle.rows[0].n).toBe(0);
  } finally {
    await client.end();
  }
}

describe('concurrent publishing (RELIABILITY C-01..C-08)', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    const config = { rateLimit: { perMinute: 100_000, burst: 100_000 } };
    a = await startTestApp({ config });
    b = await startTestApp({ databaseUrl: a.databaseUrl, config }); // a second instance on the same database
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  it('C-01: 50 distinct compatible versions through two instances get versions 1..50 and 50 ids', async () => {
    await createProduct(a, 'c01', 'events');
    const texts = Array.from({ length: 50 }, (_, i) =>
      contractText({ schema: { ...base, description: `revision ${i}` } }),
    );
    const results = await Promise.all(texts.map((text, i) => publish(i % 2 ? b : a, 'c01.events', text)));
    expect(results.every((r) => r.__typename === 'ContractVersionPublished' && r.created)).toBe(true);
    const versions = results.map((r) => r.contractVersion.version).sort((x: number, y: number) => x - y);
    expect(versions).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(new Set(results.map((r) => r.contractVersion.id)).size).toBe(50);
    for (const r of results.slice(0, 5)) {
      const read = await b.gql(
        `query($v: String!) { contractVersion(product: "c01.events", version: $v) { id } }`,
        {
          v: String(r.contractVersion.version),
        },
      );
      expect(read.data?.contractVersion.id).toBe(r.contractVersion.id);
    }
    await checkInvariants(a.databaseUrl);
  });

  it('C-02: 50 identical publishes give one version and the same id to all, without errors', async () => {
    await createProduct(a, 'c02', 'events');
    const text = contractText({ schema: base });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => publish(i % 2 ? b : a, 'c02.events', text)),
    );
    expect(results.map((r) => r.__typename)).toEqual(Array(50).fill('ContractVersionPublished'));
    expect(new Set(results.map((r) => `${r.contractVersion.id}/${r.contractVersion.version}`))).toEqual(
      new Set([`${results[0]!.contractVersion.id}/1`]),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    await checkInvariants(a.databaseUrl);
  });

  it('C-03: the same schema under 20 products shares one id, version 1 in each', async () => {
    const text = contractText({ schema: closedObject({ shared: { type: 'boolean' } }) });
    await createProduct(a, 'c03', 'p0');
    for (let i = 1; i < 20; i += 1) {
      await a.gql(
        `mutation($n: String!) { createDataProduct(input: { domain: "c03", name: $n, owningTeam: "t" }) { id } }`,
        { n: `p${i}` },
      );
    }
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => publish(i % 2 ? b : a, `c03.p${i}`, text)),
    );
    expect(new Set(results.map((r) => r.contractVersion.id)).size).toBe(1);
    expect(results.every((r) => r.contractVersion.version === 1)).toBe(true);
  });

  it('C-03: content committed by another transaction while a publish waits on it is found, not lost', async () => {
    await createProduct(a, 'c03b', 'events');
    const text = contractText({ schema: closedObject({ late: { type: 'string', maxLength: 5 } }) });
    const prepared = prepareContract(text);
    if (!prepared.ok) throw new Error('the test contract is invalid');
    const other = new Client({ connectionString: a.databaseUrl });
    await other.connect();
    try {
      await other.query('BEGIN');
      const inserted = await other.query<{ id: number }>(
        `INSERT INTO contract_contents (content_hash, canonical, document) VALUES ($1, $2::text, $2::jsonb) RETURNING id`,
        [prepared.contract.contentHash, prepared.contract.canonical],
      );
      // The publish's insert waits on this uncommitted row; its snapshot predates the commit.
      const publishing = publish(a, 'c03b.events', text);
      await new Promise((resolve) => setTimeout(resolve, 500));
      await other.query('COMMIT');
      const result = await publishing;
      expect(result).toMatchObject({
        __typename: 'ContractVersionPublished',
        created: true,
        contractVersion: { id: inserted.rows[0]?.id, version: 1 },
      });
    } finally {
      await other.end();
    }
    await checkInvariants(a.databaseUrl);
  });

  it('C-04: of two racing versions each compatible with v1 but not with each other, the second is refused', async () => {
    await createProduct(a, 'c04', 'events');
    await publish(a, 'c04.events', contractText({ schema: base }));
    const asString = closedObject({ a: { type: 'string', maxLength: 20 }, b: { type: 'string' } }, ['a']);
    const asInteger = closedObject({ a: { type: 'string', maxLength: 20 }, b: { type: 'integer' } }, ['a']);
    const [first, second] = await Promise.all([
      publish(a, 'c04.events', contractText({ schema: asString })),
      publish(b, 'c04.events', contractText({ schema: asInteger })),
    ]);
    const outcomes = [first.__typename, second.__typename].sort();
    expect(outcomes).toEqual(['ContractVersionPublished', 'IncompatibleContract']);
    const refused = first.__typename === 'IncompatibleContract' ? first : second;
    expect(
      refused.changes.some(
        (c: { breaking: boolean; againstVersion: number }) => c.breaking && c.againstVersion === 2,
      ),
    ).toBe(true);
    const list = await a.gql(`{ contractVersions(product: "c04.events") { version } }`);
    expect(list.data?.contractVersions).toEqual([{ version: 1 }, { version: 2 }]);
  });

  it('C-05: a version compatible with the latest but not the first passes BACKWARD, fails BACKWARD_TRANSITIVE', async () => {
    await createProduct(a, 'c05', 'events');
    const intField = closedObject({ a: { type: 'integer' } }, ['a']);
    const strField = closedObject({ a: { type: 'string', maxLength: 20 } }, ['a']);
    const strWider = closedObject({ a: { type: 'string', maxLength: 40 } }, ['a']);
    await publish(a, 'c05.events', contractText({ schema: intField }));
    await setMode(a, 'c05.events', 'NONE');
    await publish(a, 'c05.events', contractText({ schema: strField }));
    await setMode(a, 'c05.events', 'BACKWARD_TRANSITIVE');
    const transitive = await publish(a, 'c05.events', contractText({ schema: strWider }));
    expect(transitive).toMatchObject({ __typename: 'IncompatibleContract', mode: 'BACKWARD_TRANSITIVE' });
    expect(
      transitive.changes
        .filter((c: { breaking: boolean }) => c.breaking)
        .map((c: { againstVersion: number }) => c.againstVersion),
    ).toContain(1);
    await setMode(a, 'c05.events', 'BACKWARD');
    const plain = await publish(a, 'c05.events', contractText({ schema: strWider }));
    expect(plain).toMatchObject({ __typename: 'ContractVersionPublished', contractVersion: { version: 3 } });
  });

  it('C-06: deletes never free a version number, and a soft-deleted version stays resolvable by id', async () => {
    await createProduct(a, 'c06', 'events');
    await publish(a, 'c06.events', contractText({ schema: base }));
    const v2 = await publish(a, 'c06.events', contractText({ schema: { ...base, description: 'two' } }));
    const del = (permanent: boolean) =>
      a.gql(
        `mutation($p: Boolean!) { deleteContractVersion(product: "c06.events", version: 2, permanent: $p) }`,
        { p: permanent },
      );
    expect((await del(true)).errors?.[0]?.extensions.code).toBe('CONFLICT');
    const [softDelete, racing] = await Promise.all([
      del(false),
      publish(b, 'c06.events', contractText({ schema: { ...base, description: 'three' } })),
    ]);
    expect(softDelete.data?.deleteContractVersion).toBe(true);
    expect(racing.contractVersion.version).toBe(3);
    const byId = await a.gql(`query($id: Int!) { contractVersionById(id: $id) { version deleted } }`, {
      id: v2.contractVersion.id,
    });
    expect(byId.data?.contractVersionById).toEqual({ version: 2, deleted: true });
    expect((await del(true)).data?.deleteContractVersion).toBe(true);
    await a.gql(`mutation { deleteContractVersion(product: "c06.events", version: 3) }`);
    const next = await publish(a, 'c06.events', contractText({ schema: { ...base, description: 'four' } }));
    expect(next.contractVersion.version).toBe(4);
    const latest = await b.gql(`{ contractVersion(product: "c06.events") { version } }`);
    expect(latest.data?.contractVersion.version).toBe(4);
    await checkInvariants(a.databaseUrl);
  });

  it('C-07: a publish racing a mode change is checked under exactly one committed mode', async () => {
    await createProduct(a, 'c07', 'events');
    await publish(a, 'c07.events', contractText({ schema: base }));
    const breaking = closedObject({ a: { type: 'string', maxLength: 20 }, z: { type: 'integer' } }, [
      'a',
      'z',
    ]);
    const [, outcome] = await Promise.all([
      setMode(b, 'c07.events', 'NONE'),
      publish(a, 'c07.events', contractText({ schema: breaking })),
    ]);
    if (outcome.__typename === 'ContractVersionPublished') {
      const v = await a.gql(`{ contractVersion(product: "c07.events", version: "2") { compatibilityMode } }`);
      expect(v.data?.contractVersion.compatibilityMode).toBe('NONE');
    } else {
      expect(outcome).toMatchObject({ __typename: 'IncompatibleContract', mode: 'BACKWARD' });
    }
  });

  it('C-08: re-publishing an existing version after the mode became stricter returns it without a check', async () => {
    await createProduct(a, 'c08', 'events');
    await setMode(a, 'c08.events', 'NONE');
    await publish(a, 'c08.events', contractText({ schema: base }));
    const other = closedObject({ b: { type: 'integer' } }, ['b']);
    await publish(a, 'c08.events', contractText({ schema: other }));
    await setMode(a, 'c08.events', 'FULL_TRANSITIVE');
    const again = await publish(b, 'c08.events', contractText({ schema: other }));
    expect(again).toMatchObject({
      __typename: 'ContractVersionPublished',
      created: false,
      contractVersion: { version: 2 },
    });
  });
});
