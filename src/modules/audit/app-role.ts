import { createDataSource } from '../../database/data-source-factory';
import { runMigrationsLocked } from '../../database/migrate';

/**
 * When the service's pool runs as the restricted app role, migrations run on a short-lived
 * connection as the URL's own user, the owner of the tables (RELIABILITY §4.3).
 */
export async function runMigrationsAsOwner(databaseUrl: string): Promise<void> {
  const owner = createDataSource(databaseUrl, { poolSize: 2, applicationName: 'charter-migrate' });
  await owner.initialize();
  try {
    await runMigrationsLocked(owner);
  } finally {
    await owner.destroy();
  }
}
