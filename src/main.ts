import 'reflect-metadata';
import { createApp } from './app.factory';
import { createLogger } from './common/logging/logger';
import { ConfigError, loadConfig, type AppConfig } from './config/app-config';
import { resolveDatabaseServer } from './database/database-server';
import { redactUrl } from './database/database-url';
import { GRAPHQL_PATH } from './graphql/graphql.module';

const EXIT_CONFIG = 78;

function readConfig(): AppConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`charter: ${error.message}\n`);
      process.exit(EXIT_CONFIG);
    }
    throw error;
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger(config.logLevel);
  const database = await resolveDatabaseServer(config);
  logger.info({ database: redactUrl(database.url), embedded: database.embedded }, 'database ready');

  const app = await createApp(config, database.url, logger).catch(async (error: unknown) => {
    await database.stop();
    throw error;
  });
  await app.listen({ host: config.host, port: config.port });
  const address = await app.getUrl();
  logger.info(
    { graphql: `${address}${GRAPHQL_PATH}` },
    `Charter GraphQL endpoint: ${address}${GRAPHQL_PATH}`,
  );

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    const force = setTimeout(() => process.exit(1), config.shutdownTimeoutMs).unref();
    // app.close() stops accepting connections, waits for in-flight requests, then closes the pool.
    void app
      .close()
      .then(() => database.stop())
      .then(() => {
        clearTimeout(force);
        logger.info('stopped');
        process.exit(0);
      });
  };
  process.on('SIGINT', () => {
    shutdown('SIGINT');
  });
  process.on('SIGTERM', () => {
    shutdown('SIGTERM');
  });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `charter: failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
