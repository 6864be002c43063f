import { type DataSource, type Migration } from 'typeorm';

/** Arbitrary constant: every Charter instance takes this lock before migrating. */
const MIGRATION_LOCK_KEY = 7_261_504_113;

/**
 * Runs pending migrations under a PostgreSQL advisory lock, so instances starting together
 * migrate once and the others wait, then find nothing to do.
 */
export async function runMigrationsLocked(dataSource: DataSource): Promise<Migration[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    // Waiting for another instance's migrations is not a lock wait a lock_timeout should cut short.
    await runner.query('SET lock_timeout = 0');
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    return await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.query('RESET lock_timeout').catch(() => undefined);
    await runner.release();
  }
}
