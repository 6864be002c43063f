import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CharterClientError,
  createCharterClient,
  offlineValidator,
  type CharterClient,
} from '../../src/client';
import {
  closedPort,
  contractDoc,
  errorReply,
  startRegistryStub,
  versionReply,
  type RegistryStub,
} from './registry-stub';

const TOKEN = 'chk_live_0000000000test00_secret';
const FAST = { baseDelayMs: 1, maxDelayMs: 20 };

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'OK';
  } catch (error) {
    if (error instanceof CharterClientError) return error.code;
    throw error;
  }
}

describe('createCharterClient: validators over GraphQL', () => {
  let stub: RegistryStub;
  let now: number;
  let client: CharterClient;
  beforeEach(async () => {
    stub = await startRegistryStub();
    now = 1_000_000;
    client = createCharterClient({
      url: stub.url,
      token: TOKEN,
      retries: 2,
      retry: FAST,
      cacheTtlMs: 1000,
      staleIfErrorMs: 5000,
      clock: () => now,
    });
  });
  afterEach(() => stub.close());

  it('sends the bearer token to <url>/graphql and compiles the served contract', async () => {
    stub.reply(() => versionReply('pay.orders', 2, 3));
    const validator = await client.validator('pay.orders', 2);
    expect(stub.requests).toEqual([
      {
        operation: 'CharterContractVersion',
        variables: { product: 'pay.orders', version: '2' },
        authorization: `Bearer ${TOKEN}`,
        path: '/graphql',
      },
    ]);
    expect(validator.validate({ id: 'abc' }).ok).toBe(true);
    expect(validator.validate({ id: 'abcd' }).ok).toBe(false);
  });

  it('caches a numbered version forever, however much time passes', async () => {
    stub.reply(() => versionReply('pay.orders', 2, 3));
    const first = await client.validator('pay.orders', 2);
    now += 10 * 365 * 24 * 3600 * 1000;
    expect(await client.validator('pay.orders', 2)).toBe(first);
    expect(stub.requests).toHaveLength(1);
  });

  it('trusts latest within the TTL, then revalidates without the document and keeps it when unchanged', async () => {
    stub.reply((r) => versionReply('pay.orders', 1, 3, r.operation === 'CharterContractVersion'));
    const first = await client.validator('pay.orders', 'latest');
    now += 999;
    expect(await client.validator('pay.orders')).toBe(first);
    expect(stub.requests.map((r) => r.operation)).toEqual(['CharterContractVersion']);
    now += 1;
    expect(await client.validator('pay.orders')).toBe(first);
    expect(stub.requests.map((r) => r.operation)).toEqual([
      'CharterContractVersion',
      'CharterContractVersionHead',
    ]);
  });

  it('refetches latest once the registry names a new version, and serves the new rules', async () => {
    let latest = 1;
    stub.reply((r) =>
      versionReply(
        'pay.orders',
        r.variables.version === 'latest' ? latest : Number(r.variables.version),
        r.variables.version === '2' || (r.variables.version === 'latest' && latest === 2) ? 10 : 3,
        r.operation === 'CharterContractVersion',
      ),
    );
    const v1 = await client.validator('pay.orders');
    expect(v1.validate({ id: 'abcdef' }).ok).toBe(false);
    latest = 2;
    now += 1000;
    const v2 = await client.validator('pay.orders');
    expect(v2.validate({ id: 'abcdef' }).ok).toBe(true);
    expect(stub.requests.map((r) => [r.operation, r.variables.version])).toEqual([
      ['CharterContractVersion', 'latest'],
      ['CharterContractVersionHead', 'latest'],
      ['CharterContractVersion', '2'],
    ]);
    // The version latest named is immutable: asking for it by number costs nothing.
    expect(await client.validator('pay.orders', 2)).toBe(v2);
    expect(stub.requests).toHaveLength(3);
  });

  it('serves a stale latest while the registry is down, within staleIfErrorMs, then fails', async () => {
    stub.reply(() => versionReply('pay.orders', 1, 3));
    const first = await client.validator('pay.orders');
    stub.reply(() => errorReply('UNAVAILABLE', 503));
    now += 1000 + 4999;
    expect(await client.validator('pay.orders')).toBe(first);
    now += 1;
    expect(await codeOf(client.validator('pay.orders'))).toBe('CHARTER_UNAVAILABLE');
  });

  it('loads a product once for concurrent first callers', async () => {
    stub.reply(() => versionReply('pay.orders', 1, 3));
    const [a, b, c] = await Promise.all([
      client.validator('pay.orders'),
      client.validator('pay.orders'),
      client.validator('pay.orders'),
    ]);
    expect(a).toBe(b);
    expect(b).toBe(c);
    expect(stub.requests).toHaveLength(1);
  });

  it('does not cache failures: the next call asks again', async () => {
    stub.reply(() => errorReply('NOT_FOUND'));
    expect(await codeOf(client.validator('pay.orders', 1))).toBe('NOT_FOUND');
    stub.reply(() => versionReply('pay.orders', 1, 3));
    expect(await codeOf(client.validator('pay.orders', 1))).toBe('OK');
  });

  it('refuses an answer about another product or version (CHARTER_PROTOCOL)', async () => {
    stub.reply(() => versionReply('pay.refunds', 1, 3));
    expect(await codeOf(client.validator('pay.orders', 1))).toBe('CHARTER_PROTOCOL');
    stub.reply(() => versionReply('pay.orders', 3, 3));
    expect(await codeOf(client.validator('pay.orders', 1))).toBe('CHARTER_PROTOCOL');
  });

  it('reports a served contract that does not compile as CONTRACT_INVALID', async () => {
    stub.reply(() => ({
      body: {
        data: {
          contractVersion: {
            id: 1,
            product: 'pay.orders',
            version: 1,
            contentHash: 'h',
            state: 'active',
            deleted: false,
            document: { schema: { type: 'strnig' } },
          },
        },
      },
    }));
    expect(await codeOf(client.validator('pay.orders', 1))).toBe('CONTRACT_INVALID');
  });

  it('checks arguments before sending anything', async () => {
    expect(await codeOf(client.validator('not a product', 1))).toBe('INVALID_INPUT');
    expect(await codeOf(client.validator('pay.orders', 0))).toBe('INVALID_INPUT');
    expect(stub.requests).toHaveLength(0);
  });

  it('does not follow a redirect to another host', async () => {
    const other = await startRegistryStub();
    try {
      stub.reply(() => ({ status: 307, body: {}, headers: { location: `${other.url}/graphql` } }));
      expect(await codeOf(client.validator('pay.orders', 1))).toBe('CHARTER_PROTOCOL');
      expect(other.requests).toHaveLength(0);
    } finally {
      await other.close();
    }
  });
});

describe('createCharterClient: configuration and offline mode', () => {
  const dir = mkdtempSync(join(tmpdir(), 'charter-client-'));
  const good = join(dir, 'orders.contract.json');
  const bad = join(dir, 'bad.contract.json');
  writeFileSync(good, JSON.stringify(contractDoc(3)));
  writeFileSync(bad, JSON.stringify({ apiVersion: 'charter/v1', schema: { type: 'string' } }));

  it.each([
    ['ftp://registry.example', TOKEN],
    ['not a url', TOKEN],
    ['https://user:pw@registry.example', TOKEN],
    ['https://registry.example', 'two words'],
    ['https://registry.example', 'line\nbreak'],
    ['https://registry.example', ''],
  ])('refuses url %j with token %j as CONFIG_INVALID', (url, token) => {
    expect(() => createCharterClient({ url, token })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }) as Error,
    );
  });

  it('answers offline products from the configured file, without a registry', async () => {
    const client = createCharterClient({ offline: { contracts: { 'pay.orders': good } } });
    const validator = await client.validator('pay.orders');
    expect(validator.validate({ id: 'abc' }).ok).toBe(true);
    expect(validator.validate({ id: 'abcd' }).ok).toBe(false);
    expect(await client.validator('pay.orders', 7)).toBe(validator);
    expect(await codeOf(client.validator('pay.refunds'))).toBe('CONFIG_INVALID');
    expect(await codeOf(client.checkContract('pay.orders', '{}'))).toBe('CONFIG_INVALID');
  });

  it('offlineValidator refuses a file the registry would refuse, listing why', () => {
    expect(offlineValidator(good).validate({ id: 'x' }).ok).toBe(true);
    let caught: unknown;
    try {
      offlineValidator(bad);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CharterClientError);
    expect((caught as CharterClientError).code).toBe('CONTRACT_INVALID');
    expect((caught as CharterClientError).details.issues?.length).toBeGreaterThan(0);
    expect(() => offlineValidator(join(dir, 'missing.json'))).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }) as Error,
    );
  });

  it('reports a closed port as CHARTER_UNREACHABLE', async () => {
    const client = createCharterClient({
      url: `http://127.0.0.1:${await closedPort()}`,
      token: TOKEN,
      retries: 1,
      retry: FAST,
    });
    expect(await codeOf(client.validator('pay.orders', 1))).toBe('CHARTER_UNREACHABLE');
  });
});
