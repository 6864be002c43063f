import { type DataSource } from 'typeorm';
import { migrations } from '../../migrations';
import { createDataSource } from '../../src/database/data-source-factory';
import { runMigrationsLocked } from '../../src/database/migrate';
import { createTestDatabase } from '../support/test-database';

async function tables(dataSource: DataSource): Promise<string[]> {
  const rows: { tablename: string }[] = await dataSource.query(
    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations' ORDER BY tablename",
  );
  return rows.map((r) => r.tablename);
}

describe('migrations', () => {
  let dataSource: DataSource;
  beforeAll(async () => {
    dataSource = createDataSource(await createTestDatabase());
    await dataSource.initialize();
  });
  afterAll(() => dataSource.destroy());

  it('revert every step down to an empty schema and apply again', async () => {
    const migrated = await tables(dataSource);
    expect(migrated).toEqual(expect.arrayContaining(['data_products', 'domains']));
    for (let i = 0; i < migrations.length; i += 1)
      await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await tables(dataSource)).toEqual([]);
    expect(await dataSource.showMigrations()).toBe(true);

    const applied = await runMigrationsLocked(dataSource);
    expect(applied).toHaveLength(migrations.length);
    expect(await tables(dataSource)).toEqual(migrated);
    expect(await dataSource.showMigrations()).toBe(false);
  });

  it('carries the field index through the fields migration and back', async () => {
    const fields = [
      { path: 'contact.email', name: 'email', classification: 'confidential', tags: ['pii:email'] },
      { path: 'id', name: 'id', tags: [] },
    ];
    const [{ id: productId }] = await dataSource.query(
      `WITH d AS (INSERT INTO domains (name, owning_team) VALUES ('mig', 't') RETURNING id)
       INSERT INTO data_products (domain_id, name, owning_team) SELECT id, 'fields', 't' FROM d RETURNING id`,
    );
    await dataSource.query(
      `WITH c AS (INSERT INTO contract_contents (content_hash, canonical, document)
                  VALUES (repeat('a', 64), '{}', '{}') RETURNING id)
       INSERT INTO contract_versions (product_id, version, content_id, source_text, compatibility_mode, compatibility_policy, fields)
       SELECT $1, 1, id, '{}', 'BACKWARD', 'STRICT', $2::jsonb FROM c`,
      [productId, JSON.stringify(fields)],
    );

    for (let i = 0; i < 2; i += 1) await dataSource.undoLastMigration({ transaction: 'each' }); // body, fields
    expect(
      await dataSource.query(
        'SELECT path, name, classification, tags FROM contract_fields WHERE product_id = $1 ORDER BY path',
        [productId],
      ),
    ).toEqual([
      { path: 'contact.email', name: 'email', classification: 'confidential', tags: ['pii:email'] },
      { path: 'id', name: 'id', classification: null, tags: [] },
    ]);

    await runMigrationsLocked(dataSource);
    const [restored] = await dataSource.query('SELECT fields FROM contract_versions WHERE product_id = $1', [
      productId,
    ]);
    expect(restored.fields).toEqual(fields);
  });

  it('carries audit rows, with and without their text, through the body migration and back', async () => {
    const text = JSON.stringify({
      action: 'domain.create',
      actor: { principalId: 'p-1' },
      eventId: '00000000-0000-4000-8000-000000000001',
      outcome: 'success',
      request: {},
      resource: { product: 'mig.orders', productId: 'prod-1', domainId: 'dom-1' },
      seq: 1,
    });
    await dataSource.query(
      `INSERT INTO audit_events (seq, occurred_at, prev_hash, hash, canonical) VALUES (1, now(), repeat('0', 64), repeat('1', 64), $1)`,
      [text],
    );
    await dataSource.query(
      `INSERT INTO audit_events (seq, occurred_at, prev_hash, hash, stored_event_id, stored_actor, stored_action,
         stored_resource, stored_outcome, stored_request)
       VALUES (2, now(), repeat('1', 64), repeat('2', 64), '00000000-0000-4000-8000-000000000002',
         '{"principalId": "p-2"}', 'domain.delete', '{"product": "mig.legacy"}', 'denied', '{}')`,
    );
    const filtered = (action: string, principal: string, product: string, outcome: string) =>
      dataSource.query(
        `SELECT seq::int FROM audit_events WHERE ${action} AND ${principal} AND ${product} AND ${outcome} ORDER BY seq`,
      );
    const byBody = () =>
      Promise.all(
        [
          ['domain.create', 'p-1', 'mig.orders', 'success'],
          ['domain.delete', 'p-2', 'mig.legacy', 'denied'],
        ].map(([action, principal, product, outcome]) =>
          filtered(
            `COALESCE(body ->> 'action', stored_action) = '${action}'`,
            `(COALESCE(body -> 'actor', stored_actor) ->> 'principalId') = '${principal}'`,
            `(COALESCE(body -> 'resource', stored_resource) ->> 'product') = '${product}'`,
            `COALESCE(body ->> 'outcome', stored_outcome) = '${outcome}'`,
          ),
        ),
      );
    expect(await byBody()).toEqual([[{ seq: 1 }], [{ seq: 2 }]]);

    await dataSource.undoLastMigration({ transaction: 'each' });
    expect(
      await dataSource.query(
        'SELECT seq::int, event_id, action, principal_id, product, product_id, outcome FROM audit_events ORDER BY seq',
      ),
    ).toEqual([
      {
        seq: 1,
        event_id: '00000000-0000-4000-8000-000000000001',
        action: 'domain.create',
        principal_id: 'p-1',
        product: 'mig.orders',
        product_id: 'prod-1',
        outcome: 'success',
      },
      {
        seq: 2,
        event_id: '00000000-0000-4000-8000-000000000002',
        action: 'domain.delete',
        principal_id: 'p-2',
        product: 'mig.legacy',
        product_id: null,
        outcome: 'denied',
      },
    ]);

    await runMigrationsLocked(dataSource);
    expect(await byBody()).toEqual([[{ seq: 1 }], [{ seq: 2 }]]);
    await expect(
      dataSource.query(
        `INSERT INTO audit_events (seq, occurred_at, prev_hash, hash, canonical) VALUES (3, now(), repeat('2', 64), repeat('3', 64), $1)`,
        [text.replace('"seq":1', '"seq":3')],
      ),
    ).rejects.toMatchObject({ code: '23505', constraint: 'audit_events_event_id_idx' });
    await expect(
      dataSource.query(
        `INSERT INTO audit_events (seq, occurred_at, prev_hash, hash, canonical) VALUES (3, now(), repeat('2', 64), repeat('3', 64), '{"seq":3}')`,
      ),
    ).rejects.toMatchObject({ code: '23514', constraint: 'audit_events_event_present' });
    await dataSource.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change');
    await dataSource.query('DELETE FROM audit_events');
    await dataSource.query('ALTER TABLE audit_events ENABLE ALWAYS TRIGGER audit_events_no_change');
  });

  it('lets concurrent starters migrate once', async () => {
    const other = createDataSource((dataSource.options as { url: string }).url);
    await other.initialize();
    try {
      for (let i = 0; i < migrations.length; i += 1)
        await dataSource.undoLastMigration({ transaction: 'each' });
      const [a, b] = await Promise.all([runMigrationsLocked(dataSource), runMigrationsLocked(other)]);
      expect(a.length + b.length).toBe(migrations.length);
    } finally {
      await other.destroy();
    }
  });
});
