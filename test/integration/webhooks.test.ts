import { verifyWebhook } from '@charter/sdk';
import { Client } from 'pg';
import { type WebhooksConfig } from '../../src/config/app-config';
import { WEBHOOK_DELIVERIES_CHANNEL } from '../../src/modules/change-events';
import { auditRows } from '../support/audit-rows';
import { createProduct } from '../support/registry';
import { firstCode, startTestApp, type TestApp } from '../support/test-app';
import { until } from '../support/until';
import { WebhookReceiver } from '../support/webhook-receiver';

const REGISTER = `mutation($input: RegisterWebhookInput!) {
  registerWebhook(input: $input) { secret webhook { id domain product url eventTypes } } }`;
const DELIVERIES = `query($id: ID!, $status: WebhookDeliveryStatus) {
  webhookDeliveries(webhookId: $id, status: $status) {
    id eventId eventType status attempts lastStatusCode lastErrorCode deliveredAt } }`;
const REDELIVER = `mutation($id: ID!) { redeliverWebhookDelivery(id: $id) { id status attempts } }`;
const SET_MODE = `mutation($p: String!, $m: CompatibilityMode) {
  setCompatibilitySettings(input: { product: $p, mode: $m }) { mode } }`;
const MODES = ['BACKWARD', 'FORWARD', 'FULL', 'NONE'];

function fastWebhooks(receiver: WebhookReceiver, overrides: Partial<WebhooksConfig> = {}): WebhooksConfig {
  return {
    allowedOrigins: [receiver.origin],
    workerEnabled: true,
    requestTimeoutMs: 2000,
    maxAttempts: 100,
    backoffBaseMs: 20,
    backoffMaxMs: 150,
    pollIntervalMs: 50,
    batchSize: 5,
    ...overrides,
  };
}

/** Each call emits one change event (`compatibility.settings.changed`) for the product. */
async function emitEvents(t: TestApp, product: string, count: number, from = 0): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    const response = await t.gql(SET_MODE, { p: product, m: MODES[(from + i) % MODES.length] });
    if (response.errors) throw new Error(JSON.stringify(response.errors));
  }
}

async function query<T extends Record<string, unknown>>(url: string, sql: string, params: unknown[] = []) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** Ids of the events the webhook is meant to receive, from the outbox itself. */
async function outboxIdsFor(url: string, webhookId: string): Promise<string[]> {
  const rows = await query<{ id: string }>(
    url,
    `SELECT e.id FROM webhook_deliveries d JOIN change_events e ON e.id = d.event_id
      WHERE d.webhook_id = $1 ORDER BY e.seq`,
    [webhookId],
  );
  return rows.map((r) => r.id);
}

async function register(t: TestApp, input: Record<string, unknown>): Promise<{ id: string; secret: string }> {
  const response = await t.gql(REGISTER, { input });
  if (response.errors) throw new Error(JSON.stringify(response.errors));
  return { id: response.data?.registerWebhook.webhook.id, secret: response.data?.registerWebhook.secret };
}

describe('webhooks: registration, authorization, audit and the origin allowlist', () => {
  const receiver = new WebhookReceiver();
  let t: TestApp;

  const counts = async () =>
    (
      await query<{ webhooks: string; audits: string }>(
        t.databaseUrl,
        `SELECT (SELECT count(*) FROM webhooks) AS webhooks,
                (SELECT count(*) FROM ${auditRows()} WHERE action LIKE 'webhook.%') AS audits`,
      )
    )[0];

  beforeAll(async () => {
    await receiver.start();
    t = await startTestApp({ config: { webhooks: fastWebhooks(receiver, { workerEnabled: false }) } });
    await createProduct(t, 'payments', 'orders');
    await createProduct(t, 'sales', 'leads');
  });
  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });

  it('registers a product webhook, returns a whsec_ secret once and audits it without URL or secret', async () => {
    const response = await t.gql(REGISTER, {
      input: {
        product: 'payments.orders',
        url: `${receiver.url}?token=abc`,
        eventTypes: ['dev.charter.contract.version.published'],
      },
    });
    expect(response.errors).toBeUndefined();
    const { secret, webhook } = response.data!.registerWebhook;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(webhook).toMatchObject({
      domain: 'payments',
      product: 'payments.orders',
      url: `${receiver.url}?token=abc`,
    });
    const listed = await t.gql(`{ webhooks(product: "payments.orders") { id url } }`);
    expect(listed.data?.webhooks).toEqual([{ id: webhook.id, url: webhook.url }]);
    const audits = await query<{ action: string; resource: any; change: any }>(
      t.databaseUrl,
      `SELECT action, resource, change FROM ${auditRows()} WHERE action LIKE 'webhook.%'`,
    );
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      action: 'webhook.register',
      resource: { type: 'Webhook', id: webhook.id },
    });
    expect(JSON.stringify(audits)).not.toContain('token=abc');
    expect(JSON.stringify(audits)).not.toContain(secret.slice(6));
  });

  it('refuses a URL outside the allowlist, with credentials, or not http(s); nothing is written', async () => {
    const before = await counts();
    const cases: [string, string][] = [
      ['http://127.0.0.1:1/elsewhere', 'WEBHOOK_ORIGIN_NOT_ALLOWED'],
      [`http://localhost:${receiver.port}/hooks`, 'WEBHOOK_ORIGIN_NOT_ALLOWED'],
      [`https://127.0.0.1:${receiver.port}/hooks`, 'WEBHOOK_ORIGIN_NOT_ALLOWED'],
      [`http://user:pw@127.0.0.1:${receiver.port}/hooks`, 'INVALID_WEBHOOK_URL'],
      [`ftp://127.0.0.1:${receiver.port}/hooks`, 'INVALID_WEBHOOK_URL'],
      ['not a url', 'INVALID_WEBHOOK_URL'],
    ];
    for (const [url, code] of cases) {
      const response = await t.gql(REGISTER, { input: { product: 'payments.orders', url } });
      expect([url, firstCode(response), response.errors?.[0]?.extensions.details?.[0]?.code]).toEqual([
        url,
        'INVALID_INPUT',
        code,
      ]);
    }
    expect(await counts()).toEqual(before);
  });

  it('with no allowlist configured no webhook can be registered (WEBHOOKS_NOT_CONFIGURED)', async () => {
    const closed = await startTestApp({
      databaseUrl: t.databaseUrl,
      config: { webhooks: fastWebhooks(receiver, { allowedOrigins: [], workerEnabled: false }) },
    });
    try {
      const before = await counts();
      const response = await closed.gql(REGISTER, { input: { domain: 'payments', url: receiver.url } });
      expect(response.errors?.[0]?.extensions).toMatchObject({
        code: 'INVALID_INPUT',
        details: [{ code: 'WEBHOOKS_NOT_CONFIGURED' }],
      });
      expect(await counts()).toEqual(before);
    } finally {
      await closed.close();
    }
  });

  it('authorizes like other admin mutations: product owners manage their product, not the domain or others', async () => {
    const owner = await t.principalWith('orders-owner', [{ role: 'owner', product: 'payments.orders' }]);
    const consumer = await t.principalWith('orders-reader', [
      { role: 'consumer', product: 'payments.orders' },
    ]);
    const before = await counts();
    const asConsumer = await t.gqlAs(consumer, REGISTER, {
      input: { product: 'payments.orders', url: receiver.url },
    });
    expect(firstCode(asConsumer)).toBe('FORBIDDEN');
    const domainWide = await t.gqlAs(owner, REGISTER, { input: { domain: 'payments', url: receiver.url } });
    expect(firstCode(domainWide)).toBe('FORBIDDEN');
    const otherProduct = await t.gqlAs(owner, REGISTER, {
      input: { product: 'sales.leads', url: receiver.url },
    });
    expect(firstCode(otherProduct)).toBe('NOT_FOUND');
    expect(await counts()).toEqual(before);

    const mine = await t.gqlAs(owner, REGISTER, { input: { product: 'payments.orders', url: receiver.url } });
    expect(mine.errors).toBeUndefined();
    const id = mine.data?.registerWebhook.webhook.id;
    const rotated = await t.gqlAs(
      owner,
      `mutation($id: ID!) { updateWebhook(input: { id: $id, rotateSecret: true, description: "ops" }) { secret webhook { description } } }`,
      { id },
    );
    expect(rotated.data?.updateWebhook.secret).toMatch(/^whsec_/);
    expect(rotated.data?.updateWebhook.secret).not.toBe(mine.data?.registerWebhook.secret);
    const deniedDelete = await t.gqlAs(consumer, `mutation($id: ID!) { deleteWebhook(id: $id) }`, { id });
    expect(firstCode(deniedDelete)).toBe('FORBIDDEN');
    const deleted = await t.gqlAs(owner, `mutation($id: ID!) { deleteWebhook(id: $id) }`, { id });
    expect(deleted.data?.deleteWebhook).toBe(true);
    const actions = await query<{ action: string; principal: string }>(
      t.databaseUrl,
      `SELECT action, actor->>'principalId' AS principal FROM ${auditRows()}
        WHERE action LIKE 'webhook.%' AND resource->>'id' = $1 ORDER BY seq`,
      [id],
    );
    expect(actions.map((a) => a.action)).toEqual(['webhook.register', 'webhook.update', 'webhook.delete']);
  });

  it('caps webhooks per product: the 26th is refused as CONFLICT / TOO_MANY_WEBHOOKS', async () => {
    const existing = Number(
      (
        await query<{ n: string }>(
          t.databaseUrl,
          `SELECT count(*) AS n FROM webhooks w JOIN data_products p ON p.id = w.product_id WHERE p.name = 'leads'`,
        )
      )[0]?.n,
    );
    for (let i = existing; i < 25; i += 1)
      await register(t, { product: 'sales.leads', url: `${receiver.url}/${i}` });
    const over = await t.gql(REGISTER, { input: { product: 'sales.leads', url: `${receiver.url}/26` } });
    expect(over.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      details: [{ code: 'TOO_MANY_WEBHOOKS' }],
    });
    // The domain level has a cap of its own.
    expect((await t.gql(REGISTER, { input: { domain: 'sales', url: receiver.url } })).errors).toBeUndefined();
  });

  it('refuses unknown event types', async () => {
    const response = await t.gql(REGISTER, {
      input: { product: 'payments.orders', url: receiver.url, eventTypes: ['dev.charter.nope'] },
    });
    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: 'INVALID_INPUT',
      details: [{ code: 'UNKNOWN_EVENT_TYPE' }],
    });
  });
});

describe('webhook workers wake only for events that created deliveries', () => {
  const receiver = new WebhookReceiver();
  let t: TestApp;
  let listener: Client;
  const wakes: string[] = [];

  beforeAll(async () => {
    await receiver.start();
    // a poll far beyond the test: anything delivered promptly was woken by the NOTIFY
    t = await startTestApp({ config: { webhooks: fastWebhooks(receiver, { pollIntervalMs: 600_000 }) } });
    await createProduct(t, 'payments', 'orders');
    await createProduct(t, 'sales', 'leads');
    listener = new Client({ connectionString: t.databaseUrl });
    await listener.connect();
    listener.on('notification', (message) => wakes.push(message.channel));
    await listener.query(`LISTEN ${WEBHOOK_DELIVERIES_CHANNEL}`);
  });
  afterAll(async () => {
    await listener.end();
    await t.close();
    await receiver.stop();
  });

  it('announces nothing for an event no webhook wants, and wakes the worker for one that does', async () => {
    await register(t, { product: 'payments.orders', url: receiver.url });
    await emitEvents(t, 'sales.leads', 2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(wakes).toEqual([]);
    const before = receiver.received.length;
    await emitEvents(t, 'payments.orders', 1);
    await until(
      () => receiver.received.length,
      (n) => n > before,
      5_000,
    );
    expect(receiver.received.length).toBe(before + 1);
    expect(wakes).toEqual([WEBHOOK_DELIVERIES_CHANNEL]);
  });
});

describe('webhook delivery', () => {
  const receiver = new WebhookReceiver();
  let t: TestApp;

  beforeAll(async () => {
    await receiver.start();
    t = await startTestApp({ config: { webhooks: fastWebhooks(receiver) } });
    await createProduct(t, 'payments', 'orders');
  });
  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });

  it('delivers signed CloudEvents; the right secret verifies, a wrong one does not', async () => {
    const { id, secret } = await register(t, { product: 'payments.orders', url: receiver.url });
    const other = await register(t, { domain: 'payments', url: receiver.url });
    const publishesOnly = await register(t, {
      domain: 'payments',
      url: receiver.url,
      eventTypes: ['dev.charter.contract.version.published'],
    });
    await emitEvents(t, 'payments.orders', 3);
    // The type filter is applied when deliveries are created: settings changes are not for it.
    expect(await outboxIdsFor(t.databaseUrl, publishesOnly.id)).toEqual([]);
    const expected = [
      ...(await outboxIdsFor(t.databaseUrl, id)),
      ...(await outboxIdsFor(t.databaseUrl, other.id)),
    ];
    expect(expected).toHaveLength(6);
    await until(
      () => receiver.received.length,
      (n) => n >= 6,
    );
    const mine = receiver.received.filter((r) => verifyWebhook(secret, r.headers, r.body).ok);
    const theirs = receiver.received.filter((r) => verifyWebhook(other.secret, r.headers, r.body).ok);
    expect([mine.length, theirs.length]).toEqual([3, 3]);
    for (const request of mine) {
      expect(request.headers['content-type']).toBe('application/cloudevents+json');
      const event = JSON.parse(request.body);
      expect(event).toMatchObject({ specversion: '1.0', type: 'dev.charter.compatibility.settings.changed' });
      expect(event.id).toBe(request.headers['webhook-id']);
      expect(verifyWebhook(other.secret, request.headers, request.body)).toEqual({
        ok: false,
        reason: 'BAD_SIGNATURE',
      });
    }
    expect(mine.map((r) => r.headers['webhook-id'])).toEqual(await outboxIdsFor(t.databaseUrl, id));
    const delivered = await until(
      async () => (await t.gql(DELIVERIES, { id, status: 'delivered' })).data?.webhookDeliveries ?? [],
      (rows: any[]) => rows.length === 3,
    );
    expect(delivered).toHaveLength(3);
    for (const row of delivered)
      expect(row).toMatchObject({ attempts: 1, lastStatusCode: 204, lastErrorCode: null });
  });

  it('every event arrives exactly once after dedup across a receiver outage (503, then closed)', async () => {
    const { id } = await register(t, { product: 'payments.orders', url: `${receiver.url}/outage` });
    const start = receiver.received.length;
    receiver.unavailable = true;
    await emitEvents(t, 'payments.orders', 4);
    const retrying = await until(
      async () => (await t.gql(DELIVERIES, { id, status: 'retrying' })).data?.webhookDeliveries ?? [],
      (rows: any[]) => rows.length === 4 && rows.every((r) => r.attempts >= 2),
    );
    expect(retrying.map((r: any) => [r.lastErrorCode, r.lastStatusCode])).toEqual(
      Array(4).fill(['HTTP_STATUS', 503]),
    );
    await receiver.stop();
    await emitEvents(t, 'payments.orders', 4, 1);
    await until(
      async () => (await t.gql(DELIVERIES, { id, status: 'retrying' })).data?.webhookDeliveries ?? [],
      (rows: any[]) => rows.some((r) => r.lastErrorCode === 'CONNECTION_FAILED'),
    );
    receiver.unavailable = false;
    await receiver.start();
    const expected = await outboxIdsFor(t.databaseUrl, id);
    expect(expected).toHaveLength(8);
    const got = await until(
      () => new Set(receiver.received.slice(start).map((r) => String(r.headers['webhook-id']))),
      (ids) => expected.every((e) => ids.has(e)),
    );
    expect([...got].sort()).toEqual([...expected].sort());
  });

  it('never follows a redirect: a 3xx is a failed attempt and the redirect target is never called', async () => {
    const { id } = await register(t, {
      product: 'payments.orders',
      url: `${receiver.origin}/redirect`,
      eventTypes: ['dev.charter.compatibility.settings.changed'],
    });
    await emitEvents(t, 'payments.orders', 1);
    const [row] = await until(
      async () => (await t.gql(DELIVERIES, { id, status: 'retrying' })).data?.webhookDeliveries ?? [],
      (rows: any[]) => rows.length === 1 && rows[0].attempts >= 2,
    );
    expect(row).toMatchObject({ lastStatusCode: 307, lastErrorCode: 'REDIRECT_REFUSED' });
    expect(receiver.redirectedHits).toBe(0);
    const removed = await t.gql(`mutation($id: ID!) { deleteWebhook(id: $id) }`, { id });
    expect(removed.data?.deleteWebhook).toBe(true);
  });

  it('an attempt slower than the per-request timeout fails as TIMEOUT and is retried', async () => {
    const slow = new WebhookReceiver();
    await slow.start();
    const app = await startTestApp({
      config: { webhooks: fastWebhooks(slow, { requestTimeoutMs: 100, maxAttempts: 2 }) },
    });
    try {
      await createProduct(app, 'payments', 'orders');
      const { id } = await register(app, { product: 'payments.orders', url: slow.url });
      slow.delayMs = 1000;
      await emitEvents(app, 'payments.orders', 1);
      const [row] = await until(
        async () => (await app.gql(DELIVERIES, { id, status: 'dead' })).data?.webhookDeliveries ?? [],
        (rows: any[]) => rows.length === 1,
      );
      expect(row).toMatchObject({ attempts: 2, lastErrorCode: 'TIMEOUT', lastStatusCode: null });
    } finally {
      await app.close();
      await slow.stop();
    }
  });

  it('dead-letters after the configured attempts, shows it over GraphQL and redelivers on request', async () => {
    const strict = new WebhookReceiver();
    await strict.start();
    const app = await startTestApp({ config: { webhooks: fastWebhooks(strict, { maxAttempts: 3 }) } });
    try {
      await createProduct(app, 'payments', 'orders');
      const { id, secret } = await register(app, { product: 'payments.orders', url: strict.url });
      strict.unavailable = true;
      await emitEvents(app, 'payments.orders', 1);
      const dead = await until(
        async () => (await app.gql(DELIVERIES, { id, status: 'dead' })).data?.webhookDeliveries ?? [],
        (rows: any[]) => rows.length === 1,
      );
      expect(dead).toEqual([
        expect.objectContaining({
          status: 'dead',
          attempts: 3,
          lastStatusCode: 503,
          lastErrorCode: 'HTTP_STATUS',
        }),
      ]);
      expect(strict.received).toHaveLength(0);

      strict.unavailable = false;
      const queued = await app.gql(REDELIVER, { id: dead[0].id });
      expect(queued.errors).toBeUndefined();
      expect(queued.data?.redeliverWebhookDelivery).toMatchObject({ status: 'pending', attempts: 0 });
      await until(
        () => strict.received.length,
        (n) => n === 1,
      );
      expect(verifyWebhook(secret, strict.received[0]!.headers, strict.received[0]!.body).ok).toBe(true);
      const delivered = await until(
        async () => (await app.gql(DELIVERIES, { id })).data?.webhookDeliveries[0],
        (row: any) => row?.status === 'delivered',
      );
      expect(delivered).toMatchObject({ status: 'delivered', attempts: 1, lastErrorCode: null });
      const again = await app.gql(REDELIVER, { id: dead[0].id });
      expect(again.errors?.[0]?.extensions).toMatchObject({
        code: 'CONFLICT',
        details: [{ code: 'NOT_DEAD' }],
      });
      const audited = await query<{ action: string }>(
        app.databaseUrl,
        `SELECT action FROM ${auditRows()} WHERE action = 'webhook.delivery.redeliver'`,
      );
      expect(audited).toHaveLength(1);
    } finally {
      await app.close();
      await strict.stop();
    }
  });
});

describe('webhook delivery with several instances on one database', () => {
  const receiver = new WebhookReceiver();
  let databaseUrl: string;
  let first: TestApp;

  beforeAll(async () => {
    await receiver.start();
    first = await startTestApp({ config: { webhooks: fastWebhooks(receiver) } });
    databaseUrl = first.databaseUrl;
    await createProduct(first, 'payments', 'orders');
  });
  afterAll(async () => {
    await first.close();
    await receiver.stop();
  });

  it('two instances share the deliveries and deliver each event exactly once (no duplicates at all)', async () => {
    // One delivery at a time per instance to a slow receiver: two requests in flight at once can
    // only come from two instances working the same outbox side by side.
    const oneAtATime = fastWebhooks(receiver, { batchSize: 1 });
    const second = await startTestApp({ databaseUrl, config: { webhooks: oneAtATime } });
    const third = await startTestApp({ databaseUrl, config: { webhooks: oneAtATime } });
    await first.close();
    try {
      const { id } = await register(second, { product: 'payments.orders', url: `${receiver.url}/pair` });
      const start = receiver.received.length;
      receiver.delayMs = 40;
      receiver.maxInFlight = 0;
      await Promise.all([
        emitEvents(second, 'payments.orders', 10),
        emitEvents(third, 'payments.orders', 10, 2),
      ]);
      const expected = await outboxIdsFor(databaseUrl, id);
      expect(expected).toHaveLength(20);
      await until(
        async () =>
          (await second.gql(DELIVERIES, { id, status: 'delivered' })).data?.webhookDeliveries.length,
        (n) => n === 20,
      );
      const ids = receiver.received.slice(start).map((r) => String(r.headers['webhook-id']));
      expect(ids).toHaveLength(20);
      expect(new Set(ids).size).toBe(20);
      expect([...ids].sort()).toEqual([...expected].sort());
      expect(receiver.maxInFlight).toBe(2);
    } finally {
      receiver.delayMs = 0;
      await third.close();
      first = second;
    }
  });

  it('a restart mid-stream loses nothing: a new instance on the same database delivers the rest', async () => {
    const { id } = await register(first, { product: 'payments.orders', url: `${receiver.url}/restart` });
    const start = receiver.received.length;
    // One delivery at a time to a slow receiver, so the stop falls in the middle of the stream.
    const doomed = await startTestApp({
      databaseUrl,
      config: { webhooks: fastWebhooks(receiver, { batchSize: 1 }) },
    });
    await first.close();
    receiver.delayMs = 60;
    await emitEvents(doomed, 'payments.orders', 10);
    await until(
      () => receiver.received.length - start,
      (n) => n >= 3,
    );
    await doomed.close();
    const atStop = receiver.received.length - start;
    expect(atStop).toBeGreaterThanOrEqual(3);
    expect(atStop).toBeLessThan(10);
    receiver.delayMs = 0;
    const expected = await outboxIdsFor(databaseUrl, id);
    expect(expected).toHaveLength(10);
    first = await startTestApp({ databaseUrl, config: { webhooks: fastWebhooks(receiver) } });
    const got = await until(
      () => new Set(receiver.received.slice(start).map((r) => String(r.headers['webhook-id']))),
      (ids) => expected.every((e) => ids.has(e)),
    );
    expect([...got].sort()).toEqual([...expected].sort());
    // The receiver records a request on arrival; its row turns delivered when the answer is in.
    const states = await until(
      () =>
        query<{ status: string; n: string }>(
          databaseUrl,
          `SELECT status, count(*) AS n FROM webhook_deliveries WHERE webhook_id = $1 GROUP BY status`,
          [id],
        ),
      (rows) => rows.length === 1 && rows[0]?.status === 'delivered',
    );
    expect(states).toEqual([{ status: 'delivered', n: '10' }]);
  });
});
