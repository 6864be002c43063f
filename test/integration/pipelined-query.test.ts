/**
 * queryPipelined (the publish path's round-trip saver) on a real PostgreSQL: the same rows as one
 * statement at a time, the server's error and an aborted remainder, and the ordering the write
 * path relies on: a read pipelined behind a lock sees what the lock's previous holder committed.
 */
import { type DataSource, type EntityManager } from 'typeorm';
import { createDataSource } from '../../src/database/data-source-factory';
import { type PipelinedStatement, queryPipelined } from '../../src/database/pipelined-query';
import { inPipelinedTransaction } from '../../src/database/pipelined-transaction';
import { createTestDatabase } from '../support/test-database';

const statements: PipelinedStatement[] = [
  {
    name: 'test_pipeline_numbers',
    text: 'SELECT n, n * 2 AS twice FROM generate_series(1, $1::int) n',
    values: [3],
  },
  { name: 'test_pipeline_nothing', text: 'SELECT 1 AS one WHERE false', values: [] },
  {
    name: 'test_pipeline_values',
    text: 'SELECT $1::text AS t, $2::jsonb AS j, $3::timestamptz AS at, $4::int AS missing',
    values: ["quote ' and \\", JSON.stringify({ a: [1, 2] }), new Date('2026-01-02T03:04:05.678Z'), null],
  },
];

function parsedOn(manager: EntityManager): Promise<Record<string, string | undefined>> {
  return manager
    .queryRunner!.connect()
    .then(
      (client: { connection: { parsedStatements: Record<string, string | undefined> } }) =>
        client.connection.parsedStatements,
    );
}

describe('queryPipelined', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = createDataSource(await createTestDatabase());
    await dataSource.initialize();
    await dataSource.query('CREATE TABLE pipeline_items (id int PRIMARY KEY, note text NOT NULL)');
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  it('answers each statement with its rows, the same on first use (prepared one by one) and pipelined', async () => {
    await dataSource.transaction(async (manager) => {
      const first = await queryPipelined(manager, statements);
      const parsed = await parsedOn(manager);
      for (const statement of statements) expect(parsed[statement.name]).toBe(statement.text);
      const again = await queryPipelined(manager, statements);
      expect(again).toEqual(first);
      expect(first).toEqual([
        [
          { n: 1, twice: 2 },
          { n: 2, twice: 4 },
          { n: 3, twice: 6 },
        ],
        [],
        [{ t: "quote ' and \\", j: { a: [1, 2] }, at: new Date('2026-01-02T03:04:05.678Z'), missing: null }],
      ]);
    });
  });

  it('rejects with the server error of the first failing statement and runs nothing after it', async () => {
    const insert = (id: number): PipelinedStatement => ({
      name: 'test_pipeline_insert',
      text: 'INSERT INTO pipeline_items (id, note) VALUES ($1, $2)',
      values: [id, `item ${String(id)}`],
    });
    // prepare the insert on this connection first, so the failing call is really pipelined
    await dataSource.transaction((manager) => queryPipelined(manager, [insert(1)]));
    const failing = dataSource.transaction(async (manager) => {
      expect((await parsedOn(manager)).test_pipeline_insert).toBeDefined();
      await queryPipelined(manager, [insert(2), insert(1), insert(3)]);
    });
    await expect(failing).rejects.toMatchObject({ code: '23505' });
    const rows = await dataSource.query<{ id: number }[]>('SELECT id FROM pipeline_items ORDER BY id');
    expect(rows).toEqual([{ id: 1 }]);
  });

  it('a read pipelined behind a lock sees the row the previous holder committed while it waited', async () => {
    await dataSource.query(
      `INSERT INTO pipeline_items (id, note) VALUES (10, 'before') ON CONFLICT DO NOTHING`,
    );
    const lockThenRead: PipelinedStatement[] = [
      { name: 'test_pipeline_lock', text: 'SELECT pg_advisory_xact_lock(4242)', values: [] },
      { name: 'test_pipeline_read', text: 'SELECT note FROM pipeline_items WHERE id = 10', values: [] },
    ];
    await dataSource.transaction((manager) => queryPipelined(manager, lockThenRead)); // prepares both
    const holder = dataSource.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    await holder.query('SELECT pg_advisory_xact_lock(4242)');
    await holder.query(`UPDATE pipeline_items SET note = 'after' WHERE id = 10`);
    const waiting = dataSource.transaction((manager) => queryPipelined(manager, lockThenRead));
    // the pipeline is on the wire and blocked on the lock; commit the holder's change only now
    await new Promise((resolve) => setTimeout(resolve, 200));
    await holder.commitTransaction();
    await holder.release();
    const [, read] = await waiting;
    expect(read).toEqual([{ note: 'after' }]);
  });

  it('refuses to run outside a transaction', async () => {
    await expect(queryPipelined(dataSource.manager, statements)).rejects.toThrow(/inside a transaction/);
  });

  describe('inPipelinedTransaction', () => {
    const note = (id: number, text: string): PipelinedStatement => ({
      name: 'test_pipeline_note',
      text: 'INSERT INTO pipeline_items (id, note) VALUES ($1, $2) RETURNING id',
      values: [id, text],
    });
    const count = async (from: number): Promise<number> =>
      (
        await dataSource.query<{ n: number }[]>(
          'SELECT count(*)::int AS n FROM pipeline_items WHERE id >= $1',
          [from],
        )
      )[0]!.n;

    it('commits with its last pipeline: BEGIN and COMMIT travel with the statements', async () => {
      const results = await inPipelinedTransaction(dataSource, null, async (transaction) => {
        expect(transaction.manager.queryRunner?.isTransactionActive).toBe(true);
        const [first] = await transaction.run([note(100, 'a')]);
        // inside the transaction: another connection cannot see the row yet
        expect(await count(100)).toBe(0);
        return [first, ...(await transaction.commitWith([note(101, 'b'), note(102, 'c')]))];
      });
      expect(results).toEqual([[{ id: 100 }], [{ id: 101 }], [{ id: 102 }]]);
      expect(await count(100)).toBe(3);
    });

    it('rolls everything back when the work throws after a pipeline ran', async () => {
      const failing = inPipelinedTransaction(dataSource, null, async (transaction) => {
        await transaction.run([note(200, 'a')]);
        throw new Error('refused after writing');
      });
      await expect(failing).rejects.toThrow('refused after writing');
      expect(await count(200)).toBe(0);
    });

    it('rolls back when a statement of the committing pipeline fails, and reports the server error', async () => {
      const failing = inPipelinedTransaction(dataSource, null, async (transaction) => {
        await transaction.run([note(300, 'a')]);
        await transaction.commitWith([note(301, 'b'), note(300, 'duplicate')]);
      });
      await expect(failing).rejects.toMatchObject({ code: '23505' });
      expect(await count(300)).toBe(0);
      // the connection went back to the pool usable, outside any transaction
      await dataSource.transaction((manager) => queryPipelined(manager, [note(399, 'after')]));
      expect(await count(399)).toBe(1);
    });

    it('commits on its own when the work returns without commitWith, and runs nothing for a work that ran nothing', async () => {
      await inPipelinedTransaction(dataSource, null, async (transaction) => {
        await transaction.run([note(400, 'a')]);
      });
      expect(await count(400)).toBe(1);
      await expect(inPipelinedTransaction(dataSource, null, () => Promise.resolve('nothing'))).resolves.toBe(
        'nothing',
      );
    });
  });
});
