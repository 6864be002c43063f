import { type DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import { type PipelinedStatement, queryPipelined } from './pipelined-query';
import { bindRequest, type InRequest } from './request-transaction';

const BEGIN: PipelinedStatement = { name: 'charter_begin', text: 'BEGIN', values: [] };
const COMMIT: PipelinedStatement = { name: 'charter_commit', text: 'COMMIT', values: [] };

/**
 * A transaction whose BEGIN travels with its first pipeline and whose COMMIT with its last: two
 * round trips fewer than TypeORM's transaction(), and the last statements' locks are released by
 * the commit that follows them on the wire, not one round trip later.
 */
export class PipelinedTransaction {
  private begun = false;
  private ended = false;

  constructor(private readonly runner: QueryRunner) {}

  /** For code that takes an EntityManager: its queries run in this transaction (after the first pipeline). */
  get manager(): EntityManager {
    return this.runner.manager;
  }

  /** Runs statements in the transaction (the first call opens it); returns each one's rows. */
  async run(statements: readonly PipelinedStatement[]): Promise<Record<string, unknown>[][]> {
    if (this.ended) throw new Error('the transaction has ended');
    if (this.begun) return queryPipelined(this.manager, statements);
    this.begun = true;
    const [, ...results] = await queryPipelined(this.manager, [BEGIN, ...statements]);
    return results;
  }

  /** Runs the last statements and commits in the same round trip (the first call also opens it). */
  async commitWith(statements: readonly PipelinedStatement[]): Promise<Record<string, unknown>[][]> {
    if (!this.begun && statements.length === 0) {
      this.ended = true;
      return [];
    }
    const results = await this.run([...statements, COMMIT]);
    this.ended = true;
    return results.slice(0, statements.length);
  }

  /** After a failure: gives up whatever the transaction did (ROLLBACK runs even past a deadline). */
  async abandon(): Promise<void> {
    if (!this.begun || this.ended) return;
    this.ended = true;
    await this.runner.query('ROLLBACK');
  }

  get open(): boolean {
    return this.begun && !this.ended;
  }
}

/**
 * Runs `work` in a PipelinedTransaction bound to the request of `scope` (its deadline, its audit
 * events' request): committed when `work` returns (with its last pipeline if it
 * called commitWith, else on its own), rolled back when it throws. TypeORM's isTransactionActive
 * is set meanwhile, so writers that insist on running inside a transaction (audit, change events)
 * accept its manager.
 */
export async function inPipelinedTransaction<T>(
  dataSource: DataSource,
  scope: InRequest | null | undefined,
  work: (transaction: PipelinedTransaction) => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    bindRequest(runner, scope?.request);
  } catch (error) {
    await runner.release();
    throw error;
  }
  const transaction = new PipelinedTransaction(runner);
  const flags = runner as { isTransactionActive: boolean };
  flags.isTransactionActive = true;
  try {
    const result = await work(transaction);
    if (transaction.open) await transaction.commitWith([]);
    return result;
  } catch (error) {
    // the connection may be gone as well: the original failure is the one to report
    await transaction.abandon().catch(() => undefined);
    throw error;
  } finally {
    flags.isTransactionActive = false;
    await runner.release();
  }
}
