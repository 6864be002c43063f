import { readFileSync, rmSync } from 'node:fs';
import { dropRunDatabases, STATE_FILE, type TestRunState } from './test-database';

export default async function globalTeardown(): Promise<void> {
  const state = JSON.parse(readFileSync(STATE_FILE, 'utf8')) as TestRunState;
  await dropRunDatabases(state.adminUrl, state.template);
  const server = (globalThis as { charterEmbeddedServer?: { stop(): Promise<void> } }).charterEmbeddedServer;
  if (server) await server.stop();
  if (state.embeddedDir) rmSync(state.embeddedDir, { recursive: true, force: true });
  rmSync(STATE_FILE, { force: true });
}
