import { rmSync } from 'node:fs';
import { dropRunDatabases, runState } from './test-database';

export default async function globalTeardown(): Promise<void> {
  const state = runState();
  await dropRunDatabases(state.adminUrl, state.template);
  if (state.embeddedServer) await state.embeddedServer.stop();
  if (state.embeddedDir) rmSync(state.embeddedDir, { recursive: true, force: true });
}
