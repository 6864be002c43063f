import { TcpProxy } from '../support/tcp-proxy';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase } from '../support/test-database';

async function readiness(t: TestApp): Promise<number> {
  return (await t.app.inject({ method: 'GET', url: '/health/ready' })).statusCode;
}

async function eventually(
  probe: () => Promise<number>,
  expected: number,
  timeoutMs = 15_000,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = await probe();
  while (last !== expected && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    last = await probe();
  }
  return last;
}

// Fastify's own warnings name a misuse, e.g. FSTWRN004: a second error handler in one scope, whose
// first handler then never runs. Each remembers whether it was emitted in this module registry.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- Fastify exports its warnings only from this file
const fastifyWarnings = require('fastify/lib/warnings') as Record<string, { emitted: boolean }>;

describe('health', () => {
  let proxy: TcpProxy;
  let t: TestApp;

  beforeAll(async () => {
    const url = new URL(await createTestDatabase());
    proxy = new TcpProxy(url.hostname, Number(url.port));
    await proxy.start();
    t = await startTestApp({ databaseUrl: proxy.route(url.toString()) });
  });
  afterAll(async () => {
    await proxy.start().catch(() => undefined);
    await t.close();
    await proxy.stop();
  });

  it('starts without a Fastify warning', () => {
    const emitted = Object.entries(fastifyWarnings).filter(([, warning]) => warning.emitted);
    expect(emitted.map(([code]) => code)).toEqual([]);
  });

  it('is live and ready, without authentication', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/health/live' })).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', checks: { database: 'up', migrations: 'applied' } });
  });

  it('goes to 503 when the database stops and back to 200 when it returns, without a restart', async () => {
    await proxy.stop();
    expect(await eventually(() => readiness(t), 503)).toBe(503);
    const down = await t.app.inject({ method: 'GET', url: '/health/ready' });
    expect(down.json()).toMatchObject({ status: 'unavailable', checks: { database: 'down' } });
    const query = await t.gql(`{ domains { nodes { name } } }`);
    expect(query.errors?.[0]?.extensions.code).toBe('UNAVAILABLE');

    await proxy.start();
    expect(await eventually(() => readiness(t), 200)).toBe(200);
    expect((await t.gql(`{ domains { nodes { name } } }`)).errors).toBeUndefined();
  });
});
