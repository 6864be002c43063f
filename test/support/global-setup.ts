import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { freePort } from './free-port';
import { migrateTemplate, setRunState, type TestRunState } from './test-database';

/**
 * Once per jest run: find a PostgreSQL server (TEST_DATABASE_URL, else an embedded one on a
 * free port) and build a migrated template database that each test file clones.
 */
export default async function globalSetup(): Promise<void> {
  let adminUrl = process.env.TEST_DATABASE_URL;
  let embeddedDir: string | undefined;
  let embeddedServer: TestRunState['embeddedServer'];
  if (!adminUrl) {
    embeddedDir = mkdtempSync(join(tmpdir(), 'charter-test-pg-'));
    chmodSync(embeddedDir, 0o755); // the server runs as the postgres user when we are root
    const server = await startEmbeddedPostgres({
      dataDir: join(embeddedDir, 'pg'),
      port: await freePort(),
      persistent: false,
      fast: true,
    });
    adminUrl = server.url;
    embeddedServer = server;
  }
  const template = `charter_tpl_${process.pid}_${Date.now().toString(36)}`;
  await migrateTemplate(adminUrl, template);
  const state: TestRunState = { adminUrl, template, embeddedDir, embeddedServer };
  setRunState(state);
  process.env.CHARTER_TEST_ADMIN_URL = adminUrl;
  process.env.CHARTER_TEST_TEMPLATE = template;
}
