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
