import { Client } from 'pg';
import { closedObject, contractText } from '../factories/contracts';
import { createProduct, publish, setMode } from '../support/registry';
import { type DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import { startTestApp, testConfig, type TestApp } from '../support/test-app';

const CHANNEL = 'charter_change_events';
const base = closedObject({ id: { type: 'string', maxLength: 64 } }, ['id']);
const withOptional = closedObject(
  { id: { type: 'string', maxLength: 64 }, note: { type: 'string', maxLength: 10 } },
  ['id'],
);
const policy = { classifications: { confidential: { operator: 'generalize', granularity: 'year' } } };

/** Waits for a condition with a deadline instead of sleeping a fixed time. */
async function until<T>(read: () => T | Promise<T>, ok: (value: T) => boolean, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('change events: outbox rows and NOTIFY on commit', () => {
  let t: TestApp;
  let listener: Client;
  const heard: any[] = [];

  const outbox = async (): Promise<any[]> =>
    (await listener.query(`SELECT envelope FROM change_events ORDER BY seq`)).rows.map((r) => r.envelope);

  beforeAll(async () => {
    t = await startTestApp();
    await createProduct(t, 'payments', 'orders');
    listener = new Client({ connectionString: t.databaseUrl });
    await listener.connect();
    listener.on('notification', (message) => {
      if (message.channel === CHANNEL) heard.push(JSON.parse(message.payload ?? 'null'));
    });
    await listener.query(`LISTEN ${CHANNEL}`);
  });
  afterAll(async () => {
    await listener.end();
    await t.close();
  });

  it('a publish writes one CloudEvent to the outbox and announces the same JSON after commit', async () => {
    const v1 = await publish(t, 'payments.orders', contractText({ schema: base }));
    expect(v1.created).toBe(true);
    const events = await until(outbox, (rows) => rows.length === 1);
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event).toMatchObject({
      specversion: '1.0',
      type: 'dev.charter.contract.version.published',
      source: '/domains/payments/products/orders',
      subject: 'versions/1',
      datacontenttype: 'application/json',
      domain: 'payments',
      product: 'orders',
      data: {
        version: 1,
        previousVersion: null,
        fingerprint: v1.contractVersion.contentHash,
        governancePolicyFingerprint: null,
        governancePolicyChanged: false,
      },
    });
    expect(Object.keys(event).sort()).toEqual(
      [
        'data',
        'datacontenttype',
        'domain',
        'id',
        'product',
        'source',
        'specversion',
        'subject',
        'time',
        'type',
      ].sort(),
    );
    await until(
      () => heard.length,
      (n) => n >= 1,
    );
    expect(heard).toEqual([event]);
  });

  it('an idempotent re-publish and an invalid contract emit nothing', async () => {
    await publish(t, 'payments.orders', contractText({ schema: base }));
    const invalid = await publish(t, 'payments.orders', '{"not": "a contract"');
    expect(invalid.__typename).toBe('InvalidContract');
    // A later event proves the NOTIFYs before it were delivered (one connection, commit order).
    await setMode(t, 'payments.orders', 'BACKWARD');
    await until(
      () => heard.length,
      (n) => n >= 2,
    );
    expect(heard.map((e) => e.type)).toEqual([
      'dev.charter.contract.version.published',
      'dev.charter.compatibility.settings.changed',
    ]);
    expect(heard[1]).toMatchObject({
      subject: 'compatibility-settings',
      data: { scope: 'product', cleared: false, compatibilityMode: 'BACKWARD' },
    });
  });

  it('a refused breaking change is recorded in a transaction of its own, with the changes but no values', async () => {
    const withRequired = closedObject(
      { id: { type: 'string', maxLength: 64 }, amount: { type: 'integer', enum: [4242] } },
      ['id', 'amount'],
    );
    const refused = await publish(t, 'payments.orders', contractText({ schema: withRequired }));
    expect(refused.__typename).toBe('IncompatibleContract');
    const events = await until(outbox, (rows) => rows.length === 3);
    const refusal = events[2]!;
    expect(refusal).toMatchObject({
      type: 'dev.charter.contract.change.refused',
      subject: 'versions',
      data: { compatibilityMode: 'BACKWARD', verdict: 'incompatible' },
    });
    expect(refusal.data.breakingChangeCount).toBeGreaterThan(0);
    expect(refusal.data.changes[0]).toHaveProperty('instancePath');
    // the enum value as a value, not four digits an id or a hash holds by chance
    expect(JSON.stringify(refusal)).not.toMatch(/(^|[^0-9a-f])4242([^0-9a-f]|$)/);
    expect(
      await until(
        () => heard.length,
        (n) => n >= 3,
      ),
    ).toBe(3);
  });

  it('a publish that changes the governance policy carries it and emits a policy event too', async () => {
    await publish(t, 'payments.orders', contractText({ schema: withOptional, policy }));
    const events = await until(outbox, (rows) => rows.length === 5);
    expect(events.slice(3).map((e) => e.type)).toEqual([
      'dev.charter.contract.version.published',
      'dev.charter.governance.policy.changed',
    ]);
    expect(events[3].data).toMatchObject({ version: 2, previousVersion: 1, governancePolicyChanged: true });
    expect(events[3].data.governancePolicyFingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(events[4].data.previousGovernancePolicyFingerprint).toBeNull();
  });

  it('deprecate and delete emit their events; a failed deprecate emits none', async () => {
    const deprecate = await t.gql(
      `mutation { deprecateContractVersion(product: "payments.orders", version: 1) { state } }`,
    );
    expect(deprecate.errors).toBeUndefined();
    const missing = await t.gql(
      `mutation { deprecateContractVersion(product: "payments.orders", version: 99) { state } }`,
    );
    expect(missing.errors?.[0]?.extensions.code).toBe('NOT_FOUND');
    const removed = await t.gql(`mutation { deleteContractVersion(product: "payments.orders", version: 1) }`);
    expect(removed.errors).toBeUndefined();
    const events = await until(outbox, (rows) => rows.length === 7);
    expect(events.slice(5).map((e) => [e.type, e.data.version])).toEqual([
      ['dev.charter.contract.version.deprecated', 1],
      ['dev.charter.contract.version.deleted', 1],
    ]);
    expect(events[6].data.permanent).toBe(false);
  });

  it('an event over 7,000 bytes is announced as {id, truncated} and kept whole in the outbox', async () => {
    const many = Object.fromEntries(
      Array.from({ length: 60 }, (_, i) => [`field_with_a_long_name_${i}`, { type: 'integer' }]),
    );
    const wide = closedObject({ id: { type: 'string', maxLength: 64 }, ...many }, [
      'id',
      ...Object.keys(many),
    ]);
    const before = heard.length;
    const refused = await publish(t, 'payments.orders', contractText({ schema: wide }));
    expect(refused.__typename).toBe('IncompatibleContract');
    await until(
      () => heard.length,
      (n) => n > before,
    );
    const notice = heard[before]!;
    const events = await outbox();
    const stored = events[events.length - 1]!;
    expect(Buffer.byteLength(JSON.stringify(stored))).toBeGreaterThan(7000);
    expect(notice).toEqual({ id: stored.id, truncated: true });
  });

  it('the service running as the app role appends events but cannot rewrite them', async () => {
    const asApp = await startTestApp({
      databaseUrl: t.databaseUrl,
      config: { audit: { ...testConfig().audit, appRole: 'charter_app' } },
    });
    try {
      const before = (await outbox()).length;
      await setMode(asApp, 'payments.orders', 'FORWARD');
      expect((await until(outbox, (rows) => rows.length === before + 1)).length).toBe(before + 1);
      const pool = asApp.app.get<DataSource>(getDataSourceToken());
      expect(await pool.query('SELECT current_user AS who')).toEqual([{ who: 'charter_app' }]);
      await expect(pool.query(`UPDATE change_events SET type = 'x'`)).rejects.toMatchObject({
        code: '42501',
      });

      // Fails closed: when the event cannot be written, the change it describes is rolled back.
      const mode = async () =>
        (await listener.query(`SELECT mode FROM compatibility_settings WHERE scope = 'product'`)).rows;
      const modeBefore = await mode();
      const eventsBefore = (await outbox()).length;
      await listener.query('REVOKE INSERT ON change_events FROM charter_app');
      try {
        const refused = await asApp.gql(
          `mutation { setCompatibilitySettings(input: { product: "payments.orders", mode: FULL }) { mode } }`,
        );
        expect(refused.errors?.[0]?.extensions.code).toBe('INTERNAL');
      } finally {
        await listener.query('GRANT INSERT ON change_events TO charter_app');
      }
      expect(await mode()).toEqual(modeBefore);
      expect((await outbox()).length).toBe(eventsBefore);
    } finally {
      await asApp.close();
    }
  });
});
