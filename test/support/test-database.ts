import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createDataSource } from '../../src/database/data-source-factory';
import { withDatabaseName } from '../../src/database/database-url';

export interface TestRunState {
  adminUrl: string;
  template: string;
  embeddedDir?: string;
  embeddedServer?: { stop(): Promise<void> };
}

/**
 * Jest runs globalSetup and globalTeardown in one process and shares their globals, so the run's
 * state lives there: two jest runs in one checkout never see each other's server or template.
 */
const RUN_STATE = Symbol.for('charter.test-run-state');

export function setRunState(state: TestRunState): void {
  (globalThis as Record<symbol, unknown>)[RUN_STATE] = state;
}

export function runState(): TestRunState {
  const state = (globalThis as Record<symbol, unknown>)[RUN_STATE] as TestRunState | undefined;
  if (!state) throw new Error('no test run state: globalSetup did not run');
  return state;
}

async function withAdmin<T>(adminUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function migrateTemplate(adminUrl: string, template: string): Promise<void> {
  await withAdmin(adminUrl, async (client) => {
    await client.query(`CREATE DATABASE "${template}"`);
  });
  const dataSource = createDataSource(withDatabaseName(adminUrl, template));
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
}

/** A fresh, migrated database of its own for one test file. */
export async function createTestDatabase(): Promise<string> {
  const adminUrl = process.env.CHARTER_TEST_ADMIN_URL;
  const template = process.env.CHARTER_TEST_TEMPLATE;
  if (!adminUrl || !template) throw new Error('test database state missing: run the tests through jest');
  const name = `${template}_${randomBytes(4).toString('hex')}`;
  await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  return withDatabaseName(adminUrl, name);
}

/** Drops the template and every database cloned from it in this run. */
export async function dropRunDatabases(adminUrl: string, template: string): Promise<void> {
  await withAdmin(adminUrl, async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2',
      [template, `${template}\\_%`],
    );
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  });
}
