/**
 * RELIABILITY §3.2 fault tests F-01, F-05, F-07 and F-08: the service answers UNAVAILABLE or
 * TIMEOUT instead of hanging or crashing, and recovers by itself.
 * F-01 restarts a PostgreSQL server of this file's own (the shared one serves other test files);
 * the others put the loopback fault proxy between the service and the shared server.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { type AppConfig } from '../../src/config/app-config';
import { type EmbeddedServer, startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { toPublicError } from '../../src/common/errors/to-public-error';
import { closedObject, contractText } from '../factories/contracts';
import { freePort } from '../support/free-port';
import { registryInvariantViolations } from '../support/invariants';
import { createProduct, publish, registryCounts } from '../support/registry';
import { TcpProxy } from '../support/tcp-proxy';
import { createTestDatabase } from '../support/test-database';
import { firstCode, startTestApp, type TestApp } from '../support/test-app';

const UNLIMITED = { rateLimit: { perMinute: 100_000, burst: 100_000 } };
const READ = `query($p: String!) { contractVersion(product: $p) { version } }`;
const VALIDATE = `query($p: String!, $x: [JSON!]!) { validatePayloads(product: $p, payloads: $x) { valid } }`;
// Not cached anywhere: every call needs a pooled connection.
const LIST_DOMAINS = `{ domains(first: 5) { nodes { name } } }`;
const PUBLISH_REVISION = `mutation($c: String!) {
  publishContractVersion(product: "f01.orders", contract: $c) {
    ... on ContractVersionPublished { contractVersion { version } }
  } }`;
const PUBLISH_F08 = `mutation($c: String!) {
  publishContractVersion(product: "f08.orders", contract: $c) {
    ... on ContractVersionPublished { contractVersion { version } }
  } }`;

interface Outcome {
  op: string;
  status: number;
  code: string;
  ms: number;
  version?: number;
}

const revision = (n: number): string =>
  contractText({
    schema: { ...closedObject({ id: { type: 'string', maxLength: 36 } }, ['id']), description: `rev ${n}` },
  });

async function timed(t: TestApp, op: string, query: string, variables = {}): Promise<Outcome> {
  const started = Date.now();
  const response = await t.gql(query, variables);
  const data = response.data as { publishContractVersion?: { contractVersion?: { version: number } } } | null;
  const published = data?.publishContractVersion?.contractVersion?.version;
  return {
    op,
    status: response.status,
    code: firstCode(response),
    ms: Date.now() - started,
    ...(published !== undefined && { version: published }),
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function ready(t: TestApp): Promise<number> {
  return (await t.app.inject({ method: 'GET', url: '/health/ready' })).statusCode;
}

/** Polls until `probe` holds or the deadline passes; returns the milliseconds it took, or null. */
async function within(ms: number, probe: () => Promise<boolean>): Promise<number | null> {
  const started = Date.now();
  while (Date.now() - started < ms) {
    if (await probe()) return Date.now() - started;
    await sleep(100);
  }
  return null;
}

async function appSessions(adminUrl: string, database: string): Promise<{ state: string | null }[]> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ state: string | null }>(
      `SELECT state FROM pg_stat_activity WHERE datname = $1 AND application_name = 'charter'`,
      [database],
    );
    return rows;
  } finally {
    await client.end();
  }
}

describe('F-01: PostgreSQL restarted (fast) under steady mixed load', () => {
  let dir: string;
  let port: number;
  let server: EmbeddedServer;
  let t: TestApp;

  const startServer = async (): Promise<EmbeddedServer> =>
    startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port, persistent: true, fast: true });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'charter-f01-'));
    chmodSync(dir, 0o755); // the server runs as the postgres user when we are root
    port = await freePort();
    server = await startServer();
    t = await startTestApp({
      databaseUrl: server.url,
      config: { ...UNLIMITED, databaseAcquireTimeoutMs: 1000 },
    });
    await createProduct(t, 'f01', 'orders');
    expect((await publish(t, 'f01.orders', revision(0))).__typename).toBe('ContractVersionPublished');
  }, 120_000);

  afterAll(async () => {
    await t.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers every request OK or UNAVAILABLE, reports down then up, and recovers without a restart', async () => {
    const outcomes: Outcome[] = [];
    let running = true;
    let counter = 0;
    const worker = async (): Promise<void> => {
      while (running) {
        const roll = (counter += 1) % 20;
        if (roll === 0) outcomes.push(await timed(t, 'publish', PUBLISH_REVISION, { c: revision(counter) }));
        else if (roll <= 3)
          outcomes.push(await timed(t, 'validate', VALIDATE, { p: 'f01.orders', x: [{ id: 'a' }] }));
        else outcomes.push(await timed(t, 'read', READ, { p: 'f01.orders' }));
      }
    };
    const workers = Array.from({ length: 6 }, () => worker());
    await sleep(1500);

    await server.stop(); // SIGINT: PostgreSQL's fast shutdown, as pg_ctl restart -m fast does
    const duringOutage = await ready(t);
    await sleep(2000);
    server = await startServer();
    const restartedAt = Date.now();
    const recoveredIn = await within(
      30_000,
      async () => (await timed(t, 'probe', LIST_DOMAINS)).code === 'OK',
    );
    const afterRestart = outcomes.length;
    await sleep(1500);
    running = false;
    await Promise.all(workers);

    expect(duringOutage).toBe(503);
    expect(recoveredIn).not.toBeNull();
    expect(Date.now() - restartedAt).toBeLessThan(35_000);
    expect(await ready(t)).toBe(200);
    const codes = new Set(outcomes.map((o) => o.code));
    expect([...codes].filter((code) => code !== 'OK' && code !== 'UNAVAILABLE')).toEqual([]);
    expect(outcomes.filter((o) => o.status >= 500 && o.code !== 'UNAVAILABLE')).toEqual([]);
    // the fault was felt, and every kind of request works again afterwards
    expect(outcomes.some((o) => o.code === 'UNAVAILABLE')).toBe(true);
    const late = outcomes.slice(afterRestart);
    for (const op of ['read', 'validate', 'publish'])
      expect(late.some((o) => o.op === op && o.code === 'OK')).toBe(true);

    // every publish that was answered OK is there after the restart
    const versions = await t.gql(`{ contractVersions(product: "f01.orders") { version } }`);
    const stored = new Set((versions.data?.contractVersions as { version: number }[]).map((v) => v.version));
    const acknowledged = outcomes.filter((o) => o.op === 'publish' && o.code === 'OK').map((o) => o.version);
    expect(acknowledged.filter((v) => v === undefined || !stored.has(v))).toEqual([]);
    expect(await registryInvariantViolations(t)).toEqual([]);
  }, 120_000);
});

describe('through the fault proxy', () => {
  const adminUrl = (): URL => new URL(process.env.CHARTER_TEST_ADMIN_URL ?? '');
  let proxy: TcpProxy;
  let databaseUrl: string;
  let database: string;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    database = new URL(databaseUrl).pathname.slice(1);
    const target = new URL(databaseUrl);
    proxy = new TcpProxy(target.hostname, Number(target.port));
    await proxy.start();
  });

  afterAll(async () => {
    await proxy.stop();
  });

  async function appThroughProxy(config: Partial<AppConfig>): Promise<TestApp> {
    proxy.setLatency(0);
    return startTestApp({ databaseUrl: proxy.route(databaseUrl), config: { ...UNLIMITED, ...config } });
  }

  /** Fills the pool with idle connections, so a burst does not also pay for connecting. */
  async function warm(t: TestApp, connections: number): Promise<void> {
    const results = await Promise.all(
      Array.from({ length: connections }, () => timed(t, 'warm', LIST_DOMAINS)),
    );
    expect(results.map((r) => r.code)).toEqual(Array(connections).fill('OK'));
  }

  it('F-05: with the pool exhausted, requests wait at most the acquire timeout, then fail fast as UNAVAILABLE', async () => {
    const t = await appThroughProxy({
      databasePoolSize: 5,
      databaseAcquireTimeoutMs: 300,
      requestTimeoutMs: 6000,
    });
    try {
      await warm(t, 5);
      let peak = 0;
      const sampling = { on: true };
      const sampler = (async () => {
        while (sampling.on) {
          peak = Math.max(peak, (await appSessions(adminUrl().toString(), database)).length);
          await sleep(50);
        }
      })();
      proxy.setLatency(400); // each query now holds its connection for 800 ms or more
      const burst = await Promise.all(Array.from({ length: 50 }, () => timed(t, 'list', LIST_DOMAINS)));
      proxy.setLatency(0);
      sampling.on = false;
      await sampler;

      expect(burst.filter((o) => o.code !== 'OK' && o.code !== 'UNAVAILABLE')).toEqual([]);
      const refused = burst.filter((o) => o.code === 'UNAVAILABLE');
      expect(refused.length).toBeGreaterThanOrEqual(40);
      expect(burst.filter((o) => o.code === 'OK').length).toBeGreaterThanOrEqual(1);
      // refused after the 300 ms acquire timeout, not after the queries ahead of them finished
      expect(Math.max(...refused.map((o) => o.ms))).toBeLessThan(800);
      expect(Math.max(...burst.map((o) => o.ms))).toBeLessThan(6000 + 1000);
      expect(peak).toBeLessThanOrEqual(5);
      expect(peak).toBeGreaterThan(0);

      const after = await timed(t, 'after', LIST_DOMAINS);
      expect(after.code).toBe('OK');
      expect(after.ms).toBeLessThan(1000);
    } finally {
      await t.close();
    }
  }, 60_000);

  it('F-07: after every connection is reset once, each request succeeds within one retry', async () => {
    const t = await appThroughProxy({ databasePoolSize: 5 });
    try {
      await warm(t, 5);
      proxy.resetAll();
      const attempts = await Promise.all(
        Array.from({ length: 20 }, async () => {
          const first = await timed(t, 'list', LIST_DOMAINS);
          if (first.code === 'OK') return [first];
          return [first, await timed(t, 'list', LIST_DOMAINS)];
        }),
      );
      expect(attempts.filter((a) => a.length === 2 && a[0]?.code !== 'UNAVAILABLE')).toEqual([]);
      expect(attempts.map((a) => a[a.length - 1]?.code)).toEqual(Array(20).fill('OK'));
      expect((await timed(t, 'after', LIST_DOMAINS)).code).toBe('OK');
    } finally {
      await t.close();
    }
  }, 60_000);

  it('F-08: with 2 s of latency the deadline and statement_timeout fire, the client gets TIMEOUT and no transaction is orphaned', async () => {
    const t = await appThroughProxy({
      requestTimeoutMs: 1000,
      statementTimeoutMs: 1000,
      databaseIdleInTransactionTimeoutMs: 3000,
    });
    try {
      await createProduct(t, 'f08', 'orders');
      await warm(t, 3);
      const dataSource = t.app.get(DataSource);
      const settings = await dataSource.query<{ name: string; setting: string }[]>(
        `SELECT name, setting FROM pg_settings WHERE name IN ('statement_timeout', 'idle_in_transaction_session_timeout') ORDER BY name`,
      );
      expect(settings).toEqual([
        { name: 'idle_in_transaction_session_timeout', setting: '3000' },
        { name: 'statement_timeout', setting: '1000' },
      ]);
      const before = await registryCounts(databaseUrl);

      proxy.setLatency(2000);
      const slowPublish = await timed(t, 'publish', PUBLISH_F08, { c: revision(1) });
      expect(slowPublish.code).toBe('TIMEOUT');
      expect(slowPublish.ms).toBeLessThan(1000 + 1500);
      proxy.setLatency(0);

      // the server itself cancels a statement that runs past statement_timeout
      const slowStatement = await dataSource.query('SELECT pg_sleep(3)').catch((error: unknown) => error);
      expect(toPublicError(slowStatement).code).toBe('TIMEOUT');

      const settled = await within(15_000, async () =>
        (await appSessions(adminUrl().toString(), database)).every(
          (s) => !s.state?.startsWith('idle in transaction'),
        ),
      );
      expect(settled).not.toBeNull();
      expect(await registryCounts(databaseUrl)).toEqual(before);
      const recovered = await within(
        10_000,
        async () => (await timed(t, 'publish', PUBLISH_F08, { c: revision(2) })).code === 'OK',
      );
      expect(recovered).not.toBeNull();
      expect(await registryInvariantViolations(t)).toEqual([]);
    } finally {
      await t.close();
    }
  }, 60_000);
});
