import { DataSource, type DataSourceOptions } from 'typeorm';
import { migrations } from '../../migrations';
import { entities } from './entities';

export interface DataSourceSettings {
  poolSize?: number;
  statementTimeoutMs?: number;
  applicationName?: string;
  /** How long a request waits for a pooled connection before failing as UNAVAILABLE. */
  acquireTimeoutMs?: number;
  /** The server ends a session left idle inside a transaction this long (no orphan row locks). */
  idleInTransactionTimeoutMs?: number;
  /** A statement waiting this long for a lock fails instead of queueing behind it. */
  lockTimeoutMs?: number;
  /** Every pooled session runs as this role (a startup option, so no query can run before it). */
  role?: string | null;
}

/** The one DataSource definition shared by the service, the migration CLI and the tests. */
export function dataSourceOptions(url: string, settings: DataSourceSettings = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities,
    migrations,
    synchronize: false,
    migrationsRun: false,
    migrationsTableName: 'schema_migrations',
    installExtensions: false,
    logging: false,
    poolSize: settings.poolSize ?? 10,
    applicationName: settings.applicationName ?? 'charter',
    extra: {
      statement_timeout: settings.statementTimeoutMs ?? 30_000,
      idle_in_transaction_session_timeout: settings.idleInTransactionTimeoutMs ?? 60_000,
      lock_timeout: settings.lockTimeoutMs ?? 10_000,
      connectionTimeoutMillis: settings.acquireTimeoutMs ?? 10_000,
      ...(settings.role ? { options: `-c role=${settings.role}` } : {}),
    },
  };
}

export function createDataSource(url: string, settings?: DataSourceSettings): DataSource {
  return new DataSource(dataSourceOptions(url, settings));
}
