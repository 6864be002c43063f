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

    await dataSource.undoLastMigration({ transaction: 'each' });
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
