import { ConfigError, loadConfig } from '../config/app-config';
import { createDataSource } from './data-source-factory';
import { resolveDatabaseServer } from './database-server';
import { runMigrationsLocked } from './migrate';

/** `npm run migration:run` / `npm run migration:revert`: the same DataSource and server the service uses. */
async function main(command: string | undefined): Promise<void> {
  if (command !== 'run' && command !== 'revert' && command !== 'show') {
    process.stderr.write('usage: migrate-cli run|revert|show\n');
    process.exit(2);
  }
  const database = await resolveDatabaseServer(loadConfig());
  const dataSource = createDataSource(database.url);
  try {
    await dataSource.initialize();
    if (command === 'run') {
      const applied = await runMigrationsLocked(dataSource);
      process.stdout.write(
        `applied ${applied.length} migration(s)${applied.map((m) => `\n  ${m.name}`).join('')}\n`,
      );
    } else if (command === 'revert') {
      await dataSource.undoLastMigration({ transaction: 'each' });
      process.stdout.write('reverted the last migration\n');
    } else {
      process.stdout.write(`pending migrations: ${(await dataSource.showMigrations()) ? 'yes' : 'no'}\n`);
    }
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await database.stop();
  }
}

main(process.argv[2]).catch((error: unknown) => {
  const message = error instanceof ConfigError || error instanceof Error ? error.message : String(error);
  process.stderr.write(`migrate: ${message}\n`);
  process.exit(1);
});
