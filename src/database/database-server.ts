import { join } from 'node:path';
import { type AppConfig } from '../config/app-config';
import { startEmbeddedPostgres } from './embedded-postgres';

export interface DatabaseServer {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

/** DATABASE_URL when configured; otherwise the embedded server with its data under dataDir/pg. */
export async function resolveDatabaseServer(config: AppConfig): Promise<DatabaseServer> {
  if (config.databaseUrl !== null) {
    return { url: config.databaseUrl, embedded: false, stop: () => Promise.resolve() };
  }
  const server = await startEmbeddedPostgres({
    dataDir: join(config.dataDir, 'pg'),
    port: config.embeddedPostgresPort,
    persistent: true,
  });
  return { url: server.url, embedded: true, stop: () => server.stop() };
}
