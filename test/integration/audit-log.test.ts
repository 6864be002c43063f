import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { type AuditEventBody, hashEvent, readCloudEventLines, verifyChain } from '@charter/sdk';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { buildSchema } from 'graphql';
import { Client } from 'pg';
import { contractText, closedObject } from '../factories/contracts';
import { CHECKPOINT_LOCK_KEY } from '../../src/modules/audit/audit-checkpointer';
import { DenialThrottle } from '../../src/modules/audit/denial-throttle';
import { SYSTEM_AUDIT_ACTOR } from '../../src/modules/audit/audit-entry';
import { AuditLog } from '../../src/modules/audit/audit-log.service';
import { publish } from '../support/registry';
import { firstCode, TEST_ADMIN_KEY } from '../support/test-app';
import { until } from '../support/until';
import { auditRows } from '../support/audit-rows';
import { type AuditTestApp, eventCount, lastEvent, startAuditApp, verification } from './audit-app';

const PII_EMAIL = 'ada.lovelace.pii@example.com';

/** T-14: the test file asserting each mutation's audit event (this file: the table-driven test below). */
const AUDIT_TESTED_IN: Readonly<Record<string, string>> = {
  createDomain: 'audit-log.test.ts',
  updateDomain: 'audit-log.test.ts',
  createDataProduct: 'audit-log.test.ts',
  updateDataProduct: 'audit-log.test.ts',
  publishContractVersion: 'audit-log.test.ts',
  setCompatibilitySettings: 'audit-log.test.ts',
  clearCompatibilitySettings: 'audit-log.test.ts',
  deprecateContractVersion: 'audit-log.test.ts',
  deleteContractVersion: 'audit-log.test.ts (delete and purge)',
  createPrincipal: 'audit-log.test.ts',
  grantRole: 'audit-log.test.ts',
  revokeRole: 'audit-log.test.ts',
  createApiKey: 'audit-log.test.ts',
  revokeApiKey: 'audit-log.test.ts',
  revealValues: 'governance.test.ts (value.reveal, success and error)',
  rotateDataKey: 'governance.test.ts (data-key.rotate)',
  registerWebhook: 'webhooks.test.ts',
  updateWebhook: 'webhooks.test.ts',
  deleteWebhook: 'webhooks.test.ts',
  redeliverWebhookDelivery: 'webhooks.test.ts',
};

/** The signed checkpoints of a checkpoint directory (it also holds the verifier's seen markers). */
const checkpointFiles = (names: string[]) => names.filter((name) => /^checkpoint-\d{12}\.json$/.test(name));

/** Runs one mutation and returns the events it added (exactly what T-14 asks to be counted). */
async function eventsOf(t: AuditTestApp, run: () => Promise<unknown>): Promise<Record<string, any>[]> {
  const before = await eventCount(t);
  await run();
  return t.sql(`SELECT * FROM ${auditRows()} WHERE seq > $1 ORDER BY seq`, [before]);
}

async function ok(response: Promise<{ errors?: unknown }>): Promise<void> {
  const result = await response;
  if (result.errors) throw new Error(JSON.stringify(result.errors));
}

describe('audit log: completeness, same transaction, chain', () => {
  let t: AuditTestApp;
  let adminId: string;
  beforeAll(async () => {
    t = await startAuditApp({ audit: { checkpointEvery: 1_000_000 } });
    adminId = (await t.sql<{ id: string }>(`SELECT id FROM principals WHERE name = 'bootstrap-admin'`))[0]!
      .id;
  });
  afterAll(() => t.close());

  it('records the bootstrap as the system actor, one event per step', async () => {
    const rows = await t.sql(`SELECT action, actor FROM ${auditRows()} ORDER BY seq`);
    expect(rows.map((row) => row.action)).toEqual(['principal.create', 'role.grant', 'api-key.create']);
    expect(rows.every((row) => (row.actor as { principalId: string }).principalId === 'system')).toBe(true);
  });

  // T-14: table-driven over the mutations; each adds exactly one event with who, what, outcome, request.
  const product = 'audit-sales.orders';
  const base = closedObject({ id: { type: 'string' } }, ['id']);
  const widened = closedObject({ id: { type: 'string' }, note: { type: 'string' } }, ['id']);
  const mutations: [string, string, (t: AuditTestApp) => Promise<unknown>][] = [
    [
      'create a domain',
      'domain.create',
      (a) =>
        ok(
          a.gql(
            `mutation($c: [ContactInput!]) { createDomain(input: { name: "audit-sales", owningTeam: "t", contacts: $c }) { id } }`,
            {
              c: [{ name: 'Ada', email: PII_EMAIL }],
            },
          ),
        ),
    ],
    [
      'update a domain',
      'domain.update',
      (a) => ok(a.gql(`mutation { updateDomain(input: { name: "audit-sales", description: "d" }) { id } }`)),
    ],
    [
      'create a product',
      'data-product.create',
      (a) =>
        ok(
          a.gql(
            `mutation { createDataProduct(input: { domain: "audit-sales", name: "orders", owningTeam: "t" }) { id } }`,
          ),
        ),
    ],
    [
      'update a product',
      'data-product.update',
      (a) =>
        ok(
          a.gql(`mutation { updateDataProduct(input: { product: "${product}", description: "x" }) { id } }`),
        ),
    ],
    ['publish v1', 'contract.version.publish', (a) => publish(a, product, contractText({ schema: base }))],
    ['publish v2', 'contract.version.publish', (a) => publish(a, product, contractText({ schema: widened }))],
    [
      'set settings',
      'compatibility-settings.set',
      (a) =>
        ok(
          a.gql(
            `mutation { setCompatibilitySettings(input: { product: "${product}", mode: FULL }) { mode } }`,
          ),
        ),
    ],
    [
      'clear settings',
      'compatibility-settings.clear',
      (a) => ok(a.gql(`mutation { clearCompatibilitySettings(scope: { product: "${product}" }) { mode } }`)),
    ],
    [
      'deprecate v1',
      'contract.version.deprecate',
      (a) =>
        ok(
          a.gql(
            `mutation { deprecateContractVersion(product: "${product}", version: 1, reason: "old") { version } }`,
          ),
        ),
    ],
    [
      'soft-delete v1',
      'contract.version.delete',
      (a) => ok(a.gql(`mutation { deleteContractVersion(product: "${product}", version: 1) }`)),
    ],
    [
      'purge v1',
      'contract.version.purge',
      (a) =>
        ok(a.gql(`mutation { deleteContractVersion(product: "${product}", version: 1, permanent: true) }`)),
    ],
    [
      'create a principal',
      'principal.create',
      (a) => ok(a.gql(`mutation { createPrincipal(input: { name: "auditee", kind: service }) { id } }`)),
    ],
    [
      'grant a role',
      'role.grant',
      (a) =>
        ok(
          a.gql(
            `mutation { grantRole(input: { principal: "auditee", role: consumer, product: "${product}", clearFields: ["/email"] }) { id } }`,
          ),
        ),
    ],
    [
      'create an API key',
      'api-key.create',
      (a) => ok(a.gql(`mutation { createApiKey(input: { principal: "auditee" }) { secret } }`)),
    ],
    [
      'revoke an API key',
      'api-key.revoke',
      async (a) => {
        const [key] = await a.sql<{ key_id: string }>(
          `SELECT key_id FROM api_keys k JOIN principals p ON p.id = k.principal_id WHERE p.name = 'auditee'`,
        );
        await ok(a.gql(`mutation($k: String!) { revokeApiKey(keyId: $k) { keyId } }`, { k: key!.key_id }));
      },
    ],
    [
      'revoke a role',
      'role.revoke',
      async (a) => {
        const [grant] = await a.sql<{ id: string }>(
          `SELECT g.id FROM role_grants g JOIN principals p ON p.id = g.principal_id WHERE p.name = 'auditee'`,
        );
        await ok(a.gql(`mutation($g: String!) { revokeRole(id: $g) { id } }`, { g: grant!.id }));
      },
    ],
    [
      'grant the role again',
      'role.grant',
      (a) =>
        ok(
          a.gql(
            `mutation { grantRole(input: { principal: "auditee", role: consumer, product: "${product}", clearFields: ["/email"] }) { id } }`,
          ),
        ),
    ],
  ];

  it.each(mutations)('%s: exactly one event, %s', async (_name, action, run) => {
    const added = await eventsOf(t, () => run(t));
    expect(added).toHaveLength(1);
    const event = added[0]!;
    expect(event).toMatchObject({ action, outcome: 'success' });
    expect(event.actor).toMatchObject({ principalId: adminId, authMethod: 'api-key', roles: ['admin'] });
    expect(event.request.requestId).toEqual(expect.any(String));
    expect(event.occurred_at).toBeInstanceOf(Date);
    expect(event.resource.type).toEqual(expect.any(String));
  });

  it('T-14: every mutation of the published schema has a test asserting its audit event', () => {
    const mutations = buildSchema(readFileSync(join(__dirname, '..', '..', 'schema.gql'), 'utf8'))
      .getMutationType()
      ?.getFields();
    // A new mutation fails here until a test asserts its event and it is listed.
    expect(Object.keys(mutations ?? {}).sort()).toEqual(Object.keys(AUDIT_TESTED_IN).sort());
  });

  it('publish: one event per committed version with its hash and numbers, none for an identical re-publish', async () => {
    const text = contractText({ schema: widened, metadata: { owner: 'team-republish' } });
    const first = await eventsOf(t, async () => {
      expect((await publish(t, product, text)).created).toBe(true);
    });
    expect(first).toHaveLength(1);
    const published = await t.sql<{ version: number; content_hash: string }>(
      `SELECT v.version, c.content_hash FROM contract_versions v JOIN contract_contents c ON c.id = v.content_id
        JOIN data_products p ON p.id = v.product_id WHERE p.name = 'orders' ORDER BY v.version DESC LIMIT 1`,
    );
    expect(first[0]).toMatchObject({
      action: 'contract.version.publish',
      product,
      resource: { version: published[0]!.version },
      change: { afterHash: published[0]!.content_hash, toVersion: published[0]!.version },
    });
    const again = await eventsOf(t, async () => {
      expect((await publish(t, product, text)).created).toBe(false);
    });
    expect(again).toEqual([]);
  });

  it('records denials and failed authentications outside any change', async () => {
    const key = await t.principalWith('audit-reader', [{ role: 'consumer', domain: 'audit-sales' }]);
    const denied = await eventsOf(t, async () => {
      expect(
        firstCode(
          await t.gqlAs(key, `mutation { createDomain(input: { name: "nope", owningTeam: "t" }) { id } }`),
        ),
      ).toBe('FORBIDDEN');
    });
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({
      action: 'authz.denied',
      outcome: 'denied',
      decision: { ruleId: 'create:Domain' },
    });
    expect(denied[0]!.actor.roles).toEqual([expect.stringMatching(/^consumer@domain:/)]);
    const failed = await eventsOf(t, async () => {
      expect(
        firstCode(
          await t.gqlAs(`chk_live_0000000000nobody_${'B'.repeat(43)}`, '{ domains { nodes { name } } }'),
        ),
      ).toBe('UNAUTHENTICATED');
    });
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      action: 'authentication.fail',
      outcome: 'denied',
      actor: { principalId: 'anonymous' },
    });
  });

  it('F-10: when the audit insert fails, the change rolls back', async () => {
    await t.sql(
      `CREATE FUNCTION audit_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit store down'; END $$`,
    );
    await t.sql(
      `CREATE TRIGGER audit_test_refuse BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_test_refuse()`,
    );
    try {
      const before = await eventCount(t);
      const created = await t.gql(
        `mutation { createDomain(input: { name: "never-audited", owningTeam: "t" }) { id } }`,
      );
      expect(created.errors).toBeDefined();
      const published = await t.gql(
        `mutation($c: String!) { publishContractVersion(product: "${product}", contract: $c) { __typename } }`,
        {
          c: contractText({ schema: widened, metadata: { owner: 'team-never' } }),
        },
      );
      expect(published.errors).toBeDefined();
      expect(await t.sql(`SELECT 1 FROM domains WHERE name = 'never-audited'`)).toEqual([]);
      const versions = await t.sql(
        `SELECT v.version FROM contract_versions v JOIN data_products p ON p.id = v.product_id WHERE p.name = 'orders'`,
      );
      expect(versions).toHaveLength(2);
      expect(await eventCount(t)).toBe(before);
    } finally {
      await t.sql('DROP TRIGGER audit_test_refuse ON audit_events');
      await t.sql('DROP FUNCTION audit_test_refuse()');
    }
    await ok(t.gql(`mutation { createDomain(input: { name: "audited-again", owningTeam: "t" }) { id } }`));
    expect((await lastEvent(t)).action).toBe('domain.create');
  });

  it('200 concurrent mutations give 200 events on one valid chain (T-13)', async () => {
    const before = await eventCount(t);
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        t.gql(`mutation($n: String!) { createDomain(input: { name: $n, owningTeam: "t" }) { id } }`, {
          n: `burst-${i}`,
        }),
      ),
    );
    expect(results.filter((r) => r.errors)).toEqual([]);
    expect((await eventCount(t)) - before).toBe(200);
    const forks = await t.sql('SELECT prev_hash FROM audit_events GROUP BY prev_hash HAVING count(*) > 1');
    expect(forks).toEqual([]);
    const gaps = await t.sql<{ n: string; max: string }>(
      'SELECT count(*)::text AS n, max(seq)::text AS max FROM audit_events',
    );
    expect(gaps[0]!.n).toBe(gaps[0]!.max);
    const verified = await verification(t);
    expect(verified).toMatchObject({ intact: true, failure: null, eventsVerified: Number(gaps[0]!.max) });
  }, 60_000);

  it('PostgreSQL links an event with non-ASCII text exactly as the kernel hashes it', async () => {
    const entry = {
      actor: SYSTEM_AUDIT_ACTOR,
      action: 'test.link',
      resource: { type: 'Test' },
      reason: 'naïve “quotes” \u2028 😀 \\ "',
    };
    const event = await t.app
      .get(DataSource)
      .transaction((manager) => t.app.get(AuditLog).append(manager, entry));
    const [row] = await t.sql<{ seq: string; prev_hash: string; hash: string; canonical: string }>(
      'SELECT seq, prev_hash, hash, canonical FROM audit_events ORDER BY seq DESC LIMIT 1',
    );
    const stored = JSON.parse(row!.canonical) as AuditEventBody;
    expect(stored.reason).toBe(entry.reason);
    expect(row!.hash).toBe(hashEvent(row!.prev_hash, stored));
    expect(event).toEqual({ ...stored, prevHash: row!.prev_hash, hash: row!.hash });
    const [previous] = await t.sql<{ hash: string }>('SELECT hash FROM audit_events WHERE seq = $1', [
      Number(row!.seq) - 1,
    ]);
    expect(row!.prev_hash).toBe(previous!.hash);
    expect(await verification(t)).toMatchObject({ intact: true, failure: null });
  });

  it('reports a link PostgreSQL computed that the kernel does not reproduce', async () => {
    const audit = t.app.get(AuditLog);
    const reported = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      // pending() insists on a transaction; nothing is written in this one
      const runner = t.app.get(DataSource).createQueryRunner();
      await runner.startTransaction();
      try {
        const pending = audit.pending(runner.manager, {
          actor: SYSTEM_AUDIT_ACTOR,
          action: 'test.link',
          resource: { type: 'Test' },
        });
        const prevHash = 'ab'.repeat(32);
        const hash = hashEvent(prevHash, { ...pending!.body, seq: 7 });
        audit.recorded(pending!, [[{ seq: '7', prev_hash: prevHash, hash }]]);
        expect(reported).not.toHaveBeenCalled();
        audit.recorded(pending!, [[{ seq: '7', prev_hash: prevHash, hash: 'cd'.repeat(32) }]]);
        expect(reported).toHaveBeenCalledWith(expect.stringContaining('audit event 7'));
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
    } finally {
      reported.mockRestore();
    }
  });

  it('T-15/T-16: no PII values in any audit row, so erasure never needs to edit one', async () => {
    const rows = await t.sql<{ row: string }>('SELECT to_jsonb(e)::text AS row FROM audit_events e');
    expect(rows.length).toBeGreaterThan(200);
    expect(rows.filter((r) => r.row.includes(PII_EMAIL) || r.row.includes('Ada'))).toEqual([]);
    // principal names are not recorded either: only ids
    expect(rows.filter((r) => r.row.includes('auditee'))).toEqual([]);
  });

  it('reads with filters and cursor pagination', async () => {
    const query = `query($f: AuditEventFilter, $first: Int, $after: String) { auditEvents(filter: $f, first: $first, after: $after) { nodes { seq action outcome resource { product fieldPaths } actor { principalId } } pageInfo { hasNextPage endCursor } } }`;
    const page1 = await t.gql(query, { f: { action: 'domain.create' }, first: 150 });
    expect(firstCode(page1)).toBe('INVALID_INPUT');
    const first = await t.gql(query, { f: { action: 'contract.version.publish' }, first: 2 });
    const nodes = first.data?.auditEvents.nodes as { seq: number; action: string }[];
    expect(nodes).toHaveLength(2);
    expect(nodes[0]!.seq).toBeGreaterThan(nodes[1]!.seq);
    const next = await t.gql(query, {
      f: { action: 'contract.version.publish' },
      first: 2,
      after: first.data?.auditEvents.pageInfo.endCursor,
    });
    expect(next.data?.auditEvents.nodes).toHaveLength(1);
    expect(next.data?.auditEvents.pageInfo.hasNextPage).toBe(false);
    const byProduct = await t.gql(query, { f: { product, outcome: 'success' }, first: 100 });
    expect((byProduct.data?.auditEvents.nodes as { action: string }[]).map((n) => n.action)).toEqual([
      'contract.version.publish',
      'contract.version.purge',
      'contract.version.delete',
      'contract.version.deprecate',
      'contract.version.publish',
      'contract.version.publish',
      'data-product.update',
      'data-product.create',
    ]);
    const byField = await t.gql(query, { f: { fieldPath: '/email' } });
    expect((byField.data?.auditEvents.nodes as { action: string }[]).map((n) => n.action)).toEqual([
      'role.grant',
      'role.revoke',
      'role.grant',
    ]);
    const denied = await t.gql(query, { f: { outcome: 'denied', principalId: adminId } });
    expect(denied.data?.auditEvents.nodes).toEqual([]);
    const future = await t.gql(query, { f: { from: new Date(Date.now() + 60_000).toISOString() } });
    expect(future.data?.auditEvents.nodes).toEqual([]);
    const past = await t.gql(query, { f: { to: new Date(Date.now() - 3_600_000).toISOString() } });
    expect(past.data?.auditEvents.nodes).toEqual([]);
  });

  it('limits readers to their scope: the whole log only for unscoped governance', async () => {
    const scoped = await t.principalWith('audit-gov-sales', [{ role: 'governance', domain: 'audit-sales' }]);
    const events = await t.gqlAs(
      scoped,
      `{ auditEvents(first: 100) { nodes { action resource { domainId } } } }`,
    );
    const nodes = events.data?.auditEvents.nodes as { resource: { domainId: string } }[];
    expect(nodes.length).toBeGreaterThan(5);
    expect(new Set(nodes.map((n) => n.resource.domainId)).size).toBe(1);
    expect(firstCode(await t.gqlAs(scoped, '{ auditVerification { intact } }'))).toBe('FORBIDDEN');
    const consumer = await t.principalWith('audit-consumer', [{ role: 'consumer', domain: 'audit-sales' }]);
    expect(firstCode(await t.gqlAs(consumer, '{ auditEvents { nodes { seq } } }'))).toBe('FORBIDDEN');
    const global = await t.principalWith('audit-gov', [{ role: 'governance' }]);
    expect((await t.gqlAs(global, '{ auditVerification { intact } }')).data).toEqual({
      auditVerification: { intact: true },
    });
  });

  it('exports CloudEvents JSON lines that verify offline with the public key and the checkpoint files', async () => {
    await t.checkpoint();
    const response = await t.app.inject({
      method: 'GET',
      url: '/audit/export',
      headers: { authorization: `Bearer ${'chk_live_0000000000admin0_' + 'A'.repeat(43)}` },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('application/x-ndjson');
    const lines = response.body.split('\n');
    expect(JSON.parse(lines[0]!)).toMatchObject({
      specversion: '1.0',
      type: 'io.charter.audit.principal.create',
      charterseq: 1,
    });
    const { readdirSync, readFileSync } = await import('node:fs');
    const checkpoints = checkpointFiles(readdirSync(t.checkpointDir)).map(
      (name) => JSON.parse(readFileSync(`${t.checkpointDir}/${name}`, 'utf8')) as unknown,
    );
    expect(checkpoints.length).toBeGreaterThan(0);
    const offline = await verifyChain(readCloudEventLines(lines), { publicKeys: [t.publicKey], checkpoints });
    expect(offline).toMatchObject({ ok: true, eventsVerified: await eventCount(t), unanchoredEvents: 0 });
    const tail = await t.app.inject({
      method: 'GET',
      url: '/audit/export?afterSeq=-1',
      headers: { authorization: `Bearer chk_live_0000000000admin0_${'A'.repeat(43)}` },
    });
    expect(tail.statusCode).toBe(400);
  });
});

/**
 * One HTTP request written in two packets: the head and half the body, then, after a pause, the
 * rest. Fastify parses such a body from socket events, outside the hooks that opened the request.
 */
async function postInTwoPackets(url: string, headers: Record<string, string>, body: string): Promise<string> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await once(socket, 'connect');
  const head = [
    'POST /graphql HTTP/1.1',
    `host: ${hostname}:${port}`,
    'content-type: application/json',
    `content-length: ${Buffer.byteLength(body)}`,
    'connection: close',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ].join('\r\n');
  const half = Math.floor(body.length / 2);
  socket.write(`${head}\r\n\r\n${body.slice(0, half)}`);
  await new Promise((resolve) => setTimeout(resolve, 100));
  socket.write(body.slice(half));
  const chunks: Buffer[] = [];
  for await (const chunk of socket) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

describe('audit log: the request of a body that arrives in pieces', () => {
  let t: AuditTestApp;
  beforeAll(async () => {
    t = await startAuditApp({ audit: { checkpointEvery: 1_000_000 } });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(() => t.close());

  it('records the request id and client of a mutation whose body came in two packets', async () => {
    const before = await eventCount(t);
    const query = 'mutation { createDomain(input: { name: "split-body", owningTeam: "t" }) { id } }';
    const answer = await postInTwoPackets(
      await t.app.getUrl(),
      {
        authorization: `Bearer ${TEST_ADMIN_KEY}`,
        'x-request-id': 'split-body-1',
        'user-agent': 'splitter/1',
      },
      JSON.stringify({ query }),
    );
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    expect(answer).toContain('"createDomain"');
    const events = await t.sql<{ action: string; request: unknown }>(
      `SELECT action, request FROM ${auditRows()} WHERE seq > $1 ORDER BY seq`,
      [before],
    );
    expect(events).toEqual([
      { action: 'domain.create', request: { requestId: 'split-body-1', userAgent: 'splitter/1' } },
    ]);
  });
});

describe('audit log: denials are bounded per source and minute (F-11)', () => {
  it('records up to the limit, then counts, and records the count once the source returns', () => {
    let now = 0;
    const throttle = new DenialThrottle(3, () => now);
    const first = Array.from({ length: 10 }, () => throttle.admit('key:a'));
    expect(first.filter((d) => d.record)).toHaveLength(3);
    expect(throttle.admit('key:b')).toEqual({ record: true, suppressed: 0 });
    now = 61_000;
    expect(throttle.admit('key:a')).toEqual({ record: true, suppressed: 7 });
    expect(throttle.admit('key:a')).toEqual({ record: true, suppressed: 0 });
  });

  it('50 bad sign-ins from one key in a minute leave as many events as the limit allows', async () => {
    const t = await startAuditApp({ audit: { denialsPerMinute: 3 } });
    try {
      const before = await eventCount(t);
      const bad = `chk_live_0000000000flood0_${'C'.repeat(43)}`;
      for (let i = 0; i < 50; i += 1)
        expect(firstCode(await t.gqlAs(bad, '{ domains { nodes { name } } }'))).toBe('UNAUTHENTICATED');
      const added = await t.sql<{ action: string }>(`SELECT action FROM ${auditRows()} WHERE seq > $1`, [
        before,
      ]);
      expect(added.map((row) => row.action)).toEqual(Array(3).fill('authentication.fail'));
    } finally {
      await t.close();
    }
  });
});

describe('audit log: a checkpoint under way when the service stops', () => {
  // TypeORM's shutdown releases every connection still in use; a signing transaction must finish first.
  it('is finished and stored before the database connections close, and close() resolves', async () => {
    const t = await startAuditApp({ audit: { checkpointEvery: 1_000_000 } });
    const holder = new Client({ connectionString: t.databaseUrl });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [CHECKPOINT_LOCK_KEY]);
      const signing = t.checkpoint();
      const lockWaiters = () =>
        holder
          .query(
            `SELECT 1 FROM pg_locks l JOIN pg_database d ON d.oid = l.database
              WHERE d.datname = current_database() AND l.locktype = 'advisory' AND NOT l.granted`,
          )
          .then((result) => result.rowCount ?? 0);
      expect(await until(lockWaiters, (waiting) => waiting > 0)).toBe(1);
      const closing = t.close();
      await new Promise((resolve) => setTimeout(resolve, 300));
      await holder.query('SELECT pg_advisory_unlock($1)', [CHECKPOINT_LOCK_KEY]);
      await expect(closing).resolves.toBeUndefined();
      await expect(signing).resolves.toMatchObject({ seq: 3 });
      const rows = await holder.query<{ seq: string }>('SELECT seq::text FROM audit_checkpoints');
      expect(rows.rows).toEqual([{ seq: '3' }]);
    } finally {
      await holder.end();
    }
  });
});

describe('audit log: checkpoints every N events', () => {
  it('signs the head by itself once N events are committed, in the database and the directory', async () => {
    const t = await startAuditApp({ audit: { checkpointEvery: 4 } });
    try {
      for (let i = 0; i < 2; i += 1)
        await t.gql(`mutation($n: String!) { createDomain(input: { name: $n, owningTeam: "t" }) { id } }`, {
          n: `every-${i}`,
        });
      const { readdirSync } = await import('node:fs');
      const deadline = Date.now() + 5_000;
      let rows: { seq: string }[] = [];
      while (
        (rows.length === 0 || checkpointFiles(readdirSync(t.checkpointDir)).length === 0) &&
        Date.now() < deadline
      ) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        rows = await t.sql<{ seq: string }>('SELECT seq::text FROM audit_checkpoints');
      }
      expect(Number(rows[0]?.seq)).toBeGreaterThanOrEqual(4);
      expect(checkpointFiles(readdirSync(t.checkpointDir))).toEqual([
        `checkpoint-${rows[0]!.seq.padStart(12, '0')}.json`,
      ]);
      expect(await verification(t)).toMatchObject({ intact: true, checkpointsChecked: 1 });
    } finally {
      await t.close();
    }
  });
});
