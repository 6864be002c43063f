/**
 * Two instances on one database and nothing else (README "Running several instances"): what one
 * writes, the other serves at once, including from its caches.
 */
import { closedObject, contractText } from '../factories/contracts';
import { createProduct, publish } from '../support/registry';
import { firstCode, startTestApp, type TestApp } from '../support/test-app';

const LATEST = `query($p: String!) { contractVersion(product: $p) { version } }`;
const ME = `{ me { name } }`;

const revision = (n: number): string =>
  contractText({
    schema: { ...closedObject({ id: { type: 'string', maxLength: 36 } }, ['id']), description: `rev ${n}` },
  });

describe('two instances on one database', () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    const config = { rateLimit: { perMinute: 100_000, burst: 100_000 } };
    a = await startTestApp({ config });
    b = await startTestApp({ databaseUrl: a.databaseUrl, config });
  });

  afterAll(async () => {
    await b.close();
    await a.close();
  });

  it('C-10: right after a publish returns on one instance, the other serves it as latest', async () => {
    await createProduct(a, 'c10', 'orders');
    for (let n = 1; n <= 30; n += 1) {
      // b has the previous latest cached: it was just read there
      if (n > 1) expect((await b.gql(LATEST, { p: 'c10.orders' })).data?.contractVersion.version).toBe(n - 1);
      const published = await publish(a, 'c10.orders', revision(n));
      expect(published.contractVersion.version).toBe(n);
      expect((await b.gql(LATEST, { p: 'c10.orders' })).data?.contractVersion.version).toBe(n);
    }
  }, 60_000);

  it('a deprecation through one instance is served by the other at once, though it had the version cached', async () => {
    const read = `{ contractVersion(product: "c10.orders", version: "3") { state } }`;
    expect((await b.gql(read)).data?.contractVersion.state).toBe('active');
    const deprecated = await a.gql(
      `mutation { deprecateContractVersion(product: "c10.orders", version: 3) { state } }`,
    );
    expect(deprecated.data?.deprecateContractVersion.state).toBe('deprecated');
    expect((await b.gql(read)).data?.contractVersion.state).toBe('deprecated');
  });

  it('a key revoked through one instance is refused by the other, which had it cached, within the NOTIFY delay', async () => {
    const key = await a.principalWith('svc-multi', [{ role: 'consumer', product: 'c10.orders' }]);
    expect(firstCode(await b.gqlAs(key, ME))).toBe('OK');
    const keyId = key.split('_')[2];
    const revoked = await a.gql(`mutation($k: String!) { revokeApiKey(keyId: $k) { revokedAt } }`, {
      k: keyId,
    });
    expect(firstCode(revoked)).toBe('OK');
    const deadline = Date.now() + 2000;
    let code = firstCode(await b.gqlAs(key, ME));
    while (code === 'OK' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      code = firstCode(await b.gqlAs(key, ME));
    }
    expect(code).toBe('UNAUTHENTICATED');
  });
});
