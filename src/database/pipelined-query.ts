import { type Connection, Result, type Submittable } from 'pg';
import { prepareValue } from 'pg/lib/utils';
import { type EntityManager, QueryRunnerAlreadyReleasedError } from 'typeorm';

/** A named prepared statement and its values: one step of a pipeline. */
export interface PipelinedStatement {
  name: string;
  text: string;
  values: unknown[];
}

/** Runs statements in one round trip and returns each one's rows (queryPipelined, a PipelinedTransaction). */
export type Pipeline = (statements: readonly PipelinedStatement[]) => Promise<Record<string, unknown>[][]>;

/** What the pg protocol layer hands a submittable; only the fields used here. */
interface ProtocolMessage {
  fields: unknown[];
  text?: string;
}

/** pg's Result as the driver itself drives it (its row parsing is not in the typings). */
interface RowParser {
  rows: Record<string, unknown>[];
  _types: unknown;
  addFields(fields: unknown[]): void;
  parseRow(fields: unknown[]): Record<string, unknown>;
  addRow(row: Record<string, unknown>): void;
}

function rowParser(types: unknown): RowParser {
  return new Result('object', types as never) as unknown as RowParser;
}

interface PipelineConnection extends Connection {
  parsedStatements: Record<string, string | undefined>;
}

interface PipelineClient {
  connection: PipelineConnection;
  query(config: Submittable): unknown;
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/**
 * Several statements in one round trip: Bind/Describe/Execute for each, then a single Sync. The
 * server runs them in order, each with a snapshot taken at its own Bind, so a statement still sees
 * everything committed before the lock an earlier statement of the pipeline waited for. The first
 * error aborts the rest (the server skips to the Sync) and rejects the whole pipeline, as a failed
 * statement of the same transaction would.
 */
class PipelinedQuery implements Submittable {
  /** The client fills in its type parsers here (pg does so for any submittable with a _result). */
  readonly _result = rowParser(undefined);
  private readonly results: Record<string, unknown>[][] = [];
  private current: RowParser | null = null;
  private failed = false;
  readonly done: Promise<Record<string, unknown>[][]>;
  private settle!: { resolve(rows: Record<string, unknown>[][]): void; reject(error: unknown): void };

  constructor(private readonly statements: readonly PipelinedStatement[]) {
    this.done = new Promise((resolve, reject) => {
      this.settle = { resolve, reject };
    });
  }

  /** The statements' SQL, for whoever observes queries (tracing spans name and show it). */
  get text(): string {
    return this.statements.map((statement) => statement.text).join(';\n');
  }

  submit(connection: Connection): void {
    const stream = connection.stream as { cork?(): void; uncork?(): void };
    stream.cork?.();
    try {
      for (const statement of this.statements) {
        connection.bind(
          { statement: statement.name, values: statement.values, valueMapper: prepareValue } as never,
          false,
        );
        connection.describe({ type: 'P', name: '' }, false);
        connection.execute({ portal: '', rows: 0 } as never, false);
      }
      connection.sync();
    } finally {
      stream.uncork?.();
    }
  }

  handleRowDescription(message: ProtocolMessage): void {
    this.current = rowParser(this._result._types);
    this.current.addFields(message.fields);
  }

  handleDataRow(message: ProtocolMessage): void {
    this.current?.addRow(this.current.parseRow(message.fields));
  }

  handleCommandComplete(): void {
    this.results.push(this.current?.rows ?? []);
    this.current = null;
  }

  handleEmptyQuery(): void {
    this.handleCommandComplete();
  }

  handleError(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.settle.reject(error);
  }

  handleReadyForQuery(): void {
    if (this.failed) return;
    if (this.results.length === this.statements.length) this.settle.resolve(this.results);
    else this.handleError(new Error('a pipelined statement was not answered'));
  }

  handlePortalSuspended(): void {
    // rows: 0 asks for every row, so a portal is never suspended
  }

  handleCopyInResponse(connection: Connection): void {
    (connection as unknown as { sendCopyFail(message: string): void }).sendCopyFail('COPY is not pipelined');
  }

  handleCopyData(): void {
    // no COPY statement is ever pipelined
  }
}

/**
 * Runs statements on the transaction's connection in one round trip and returns each one's rows.
 * A statement not yet prepared on this connection is run on its own first, which prepares it (once
 * per pooled connection); later calls pipeline it.
 */
export async function queryPipelined(
  manager: EntityManager,
  statements: readonly PipelinedStatement[],
): Promise<Record<string, unknown>[][]> {
  const runner = manager.queryRunner;
  if (runner === undefined) throw new Error('a pipeline runs inside a transaction');
  if (runner.isReleased) throw new QueryRunnerAlreadyReleasedError();
  const client = (await runner.connect()) as PipelineClient;
  const parsed = client.connection.parsedStatements;
  if (statements.every((statement) => parsed[statement.name] === statement.text)) {
    const pipeline = new PipelinedQuery(statements);
    client.query(pipeline);
    return pipeline.done;
  }
  const results: Record<string, unknown>[][] = [];
  for (const statement of statements)
    results.push((await client.query({ ...statement, values: [...statement.values] })).rows as never);
  return results;
}
