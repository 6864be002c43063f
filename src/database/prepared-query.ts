import { type EntityManager, QueryRunnerAlreadyReleasedError } from 'typeorm';

interface NamedQueryClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/**
 * Runs a statement as a named prepared statement on the transaction's connection, so PostgreSQL
 * parses and plans it once per pooled connection instead of on every call (TypeORM's query()
 * cannot name one). For the hot write path; errors reach toPublicError as the driver's own.
 */
export async function queryPrepared<T>(
  manager: EntityManager,
  name: string,
  text: string,
  values: unknown[],
): Promise<T[]> {
  const runner = manager.queryRunner;
  if (runner === undefined) return manager.query<T[]>(text, values);
  if (runner.isReleased) throw new QueryRunnerAlreadyReleasedError();
  const client = (await runner.connect()) as NamedQueryClient;
  const result = await client.query({ name, text, values });
  return result.rows as T[];
}
