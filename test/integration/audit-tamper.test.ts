import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AuditEvent, canonicalEventText, chainEvent } from '@charter/sdk';
import { type DataSource } from 'typeorm';
import { DataSource as TypeormDataSource } from 'typeorm';
import { AUDIT_EVENT_COLUMNS, AuditEventsRepository } from '../../src/modules/audit/audit-events.repository';
import { type AuditTestApp, startAuditApp, verification } from './audit-app';

const COLUMNS = AUDIT_EVENT_COLUMNS;
/** The attacker's insert: a row written past the service, chained by hand (the service links in SQL). */
const INSERT_AUDIT_EVENT = `INSERT INTO audit_events (seq, occurred_at, prev_hash, hash, canonical) VALUES ($1, $2, $3, $4, $5)`;
const auditEventParameters = (event: AuditEvent): unknown[] => [
  event.seq,
  event.time,
  event.prevHash,
  event.hash,
  canonicalEventText(event),
];
const TRIGGERS = ['no_change', 'no_truncate'].flatMap((kind) =>
  ['audit_events', 'audit_checkpoints'].map((table) => `${table} DISABLE TRIGGER ${table}_${kind}`),
);

/** T-01..T-13 of RELIABILITY §3.5 against the verifier operators use (the GraphQL query). */
/** Domains `<prefix>-0` .. `<prefix>-<count-1>`: one audit event each. */
async function createDomains(app: AuditTestApp, prefix: string, count: number): Promise<void> {
  for (let i = 0; i < count; i += 1)
    await app.gql(`mutation($n: String!) { createDomain(input: { name: $n, owningTeam: "t" }) { id } }`, {
      n: `${prefix}-${i}`,
    });
}

describe('audit log: tamper evidence and append-only storage', () => {
  let t: AuditTestApp;

  /** What a superuser attacker does: switch the triggers off, change rows, switch them back on. */
  async function asAttacker(work: () => Promise<unknown>): Promise<void> {
    for (const trigger of TRIGGERS) await t.sql(`ALTER TABLE ${trigger}`);
    try {
      await work();
    } finally {
      for (const trigger of TRIGGERS)
        await t.sql(`ALTER TABLE ${trigger.replace('DISABLE', 'ENABLE ALWAYS')}`);
    }
  }

  async function events(): Promise<AuditEvent[]> {
    const all: AuditEvent[] = [];
    for await (const event of t.app.get(AuditEventsRepository).all()) all.push(event);
    return all;
  }

  /** Rewrites rows from seq `from` on as given, with every later hash recomputed (T-08/T-09). */
  async function rewriteFrom(chain: AuditEvent[], from: number): Promise<void> {
    await t.sql('DELETE FROM audit_events WHERE seq >= $1', [from]);
    let prev = chain[from - 2]?.hash ?? '0'.repeat(64);
    for (const original of chain.slice(from - 1)) {
      const event = chainEvent(prev, original);
      await t.sql(INSERT_AUDIT_EVENT, auditEventParameters(event));
      prev = event.hash;
    }
  }

  beforeAll(async () => {
    t = await startAuditApp({ audit: { checkpointEvery: 1_000_000 } });
    for (let i = 0; i < 10; i += 1)
      await t.gql(`mutation($n: String!) { createDomain(input: { name: $n, owningTeam: "t" }) { id } }`, {
        n: `tamper-${i}`,
      });
    await t.checkpoint(); // anchors seq 13 (3 bootstrap events + 10)
    for (let i = 10; i < 12; i += 1)
      await t.gql(`mutation($n: String!) { createDomain(input: { name: $n, owningTeam: "t" }) { id } }`, {
        n: `tamper-${i}`,
      });
    await t.sql(`CREATE TABLE audit_snapshot AS SELECT ${COLUMNS} FROM audit_events`);
    await t.sql(`CREATE TABLE checkpoint_snapshot AS SELECT * FROM audit_checkpoints`);
  });
  afterAll(() => t.close());
  afterEach(async () => {
    await asAttacker(async () => {
      await t.sql('DELETE FROM audit_events');
      await t.sql(`INSERT INTO audit_events (${COLUMNS}) SELECT ${COLUMNS} FROM audit_snapshot`);
      await t.sql('DELETE FROM audit_checkpoints');
      await t.sql('INSERT INTO audit_checkpoints SELECT * FROM checkpoint_snapshot');
    });
  });

  it('T-01: intact from genesis through the signed checkpoint to the live head', async () => {
    expect(await verification(t)).toMatchObject({
      intact: true,
      eventsVerified: 15,
      headSeq: 15,
      anchoredThrough: 13,
      unanchoredEvents: 2,
      checkpointsChecked: 1,
      failure: null,
    });
  });

  it('T-02/T-03: the app role may insert and read, never update, delete, truncate or silence triggers', async () => {
    const attempts = [
      `UPDATE audit_events SET occurred_at = now() WHERE seq = 5`,
      `UPDATE audit_events SET canonical = NULL WHERE seq = 5`,
      'DELETE FROM audit_events WHERE seq = 5',
      'TRUNCATE audit_events',
      `UPDATE audit_checkpoints SET seq = 99`,
      `SET session_replication_role = replica`,
      `ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change`,
    ];
    for (const attempt of attempts) {
      await t.sql('BEGIN; SET LOCAL ROLE charter_app');
      await expect(t.sql(attempt)).rejects.toMatchObject({ code: expect.stringMatching(/^42501$/) });
      await t.sql('ROLLBACK');
    }
    await t.sql('BEGIN; SET LOCAL ROLE charter_app');
    expect(await t.sql('SELECT count(*)::int AS n FROM audit_events')).toEqual([{ n: 15 }]);
    await t.sql('ROLLBACK');
  });

  it('T-04: the owner is refused too, by the ALWAYS triggers, even as a replica session', async () => {
    await expect(t.sql(`UPDATE audit_events SET occurred_at = now() WHERE seq = 5`)).rejects.toThrow(
      /append-only/,
    );
    await expect(t.sql('DELETE FROM audit_events WHERE seq = 15')).rejects.toThrow(/append-only/);
    await expect(t.sql('TRUNCATE audit_events')).rejects.toThrow(/append-only/);
    await t.sql('BEGIN; SET LOCAL session_replication_role = replica');
    await expect(t.sql('DELETE FROM audit_events WHERE seq = 15')).rejects.toThrow(/append-only/);
    await t.sql('ROLLBACK');
    expect(await verification(t)).toMatchObject({ intact: true, eventsVerified: 15 });
  });

  it('T-05: one edited field of row k (in the hashed text `body` is generated from) is a hash mismatch at k', async () => {
    await asAttacker(() =>
      t.sql(`UPDATE audit_events SET canonical = replace(canonical, '"success"', '"denied"') WHERE seq = 7`),
    );
    expect(await t.sql(`SELECT body ->> 'outcome' AS outcome FROM audit_events WHERE seq = 7`)).toEqual([
      { outcome: 'denied' },
    ]);
    expect((await verification(t)).failure).toMatchObject({ seq: 7, code: 'HASH_MISMATCH' });
  });

  it('T-05: the body beside the text is generated from it; seq and time stored beside it are compared', async () => {
    await asAttacker(async () => {
      await expect(t.sql(`UPDATE audit_events SET body = '{}' WHERE seq = 6`)).rejects.toThrow(/DEFAULT/);
      await expect(
        t.sql(`UPDATE audit_events SET canonical = '{"seq": 6, bro' WHERE seq = 6`),
      ).rejects.toMatchObject({ code: '22P02' });
    });
    for (const edit of ["interval '1 millisecond'", "interval '1 microsecond'"]) {
      await asAttacker(() =>
        t.sql(`UPDATE audit_events SET occurred_at = occurred_at + ${edit} WHERE seq = 6`),
      );
      expect((await verification(t)).failure).toMatchObject({
        seq: 6,
        code: 'HASH_MISMATCH',
        message: expect.stringMatching(/differ from its hashed text/),
      });
      await asAttacker(async () => {
        await t.sql('DELETE FROM audit_events WHERE seq = 6');
        await t.sql(
          `INSERT INTO audit_events (${COLUMNS}) SELECT ${COLUMNS} FROM audit_snapshot WHERE seq = 6`,
        );
      });
    }
    expect(await verification(t)).toMatchObject({ intact: true });
  });

  it('rows written before the canonical text was stored stay verifiable from their columns, and tamper-evident', async () => {
    const members = [
      ['event_id', `(body ->> 'eventId')::uuid`],
      ['actor', `body -> 'actor'`],
      ['action', `body ->> 'action'`],
      ['resource', `body -> 'resource'`],
      ['outcome', `body ->> 'outcome'`],
      ['reason', `body ->> 'reason'`],
      ['decision', `body -> 'decision'`],
      ['request', `body -> 'request'`],
      ['change', `body -> 'change'`],
    ];
    await asAttacker(() =>
      t.sql(
        `UPDATE audit_events SET ${members.map(([m, value]) => `stored_${m} = ${value}`).join(', ')}, canonical = NULL WHERE seq <= 10`,
      ),
    );
    expect(await verification(t)).toMatchObject({ intact: true, eventsVerified: 15, anchoredThrough: 13 });
    const listed = await t.gql(
      `{ auditEvents(first: 20, filter: { action: "domain.create" }) { nodes { seq } } }`,
    );
    expect(listed.data?.auditEvents.nodes).toHaveLength(12);
    await asAttacker(() => t.sql(`UPDATE audit_events SET stored_outcome = 'denied' WHERE seq = 4`));
    expect((await verification(t)).failure).toMatchObject({ seq: 4, code: 'HASH_MISMATCH' });
  });

  it('text with escapes and non-ASCII is hashed as its stored bytes, read in keyset batches of any size (a stop ends the reading)', async () => {
    const chain = await events();
    let prev = chain[chain.length - 1]!.hash;
    await asAttacker(async () => {
      for (const [offset, userAgent] of ['tab\there \\ "quoted"\nline', 'Grüße 😀 \u0001'].entries()) {
        const event = chainEvent(prev, {
          ...chain[0]!,
          seq: chain.length + 1 + offset,
          eventId: `00000000-0000-4000-8000-00000000010${offset}`,
          request: { requestId: `r-${offset}`, userAgent },
        });
        await t.sql(INSERT_AUDIT_EVENT, auditEventParameters(event));
        prev = event.hash;
      }
    });
    expect(await verification(t)).toMatchObject({ intact: true, eventsVerified: 17 });
    const read = async (exact: boolean, until: number): Promise<number[]> => {
      const seqs: number[] = [];
      const take = (record: { seq: number }) => seqs.push(record.seq) < until;
      await t.app.get(AuditEventsRepository).eachRecord(exact, take, 4);
      return seqs;
    };
    const seqs = Array.from({ length: 17 }, (_, i) => i + 1);
    expect(await read(false, Infinity)).toEqual(seqs);
    expect(await read(true, Infinity)).toEqual(seqs);
    expect(await read(false, 6)).toEqual(seqs.slice(0, 6)); // the walk stopped: no later batch is read
    await asAttacker(() =>
      t.sql(`UPDATE audit_events SET canonical = replace(canonical, 'ü', 'u') WHERE seq = 17`),
    );
    expect((await verification(t)).failure).toMatchObject({ seq: 17, code: 'HASH_MISMATCH' });
  });

  it('T-06: a deleted middle row is a gap at k', async () => {
    await asAttacker(() => t.sql('DELETE FROM audit_events WHERE seq = 9'));
    expect((await verification(t)).failure).toMatchObject({ seq: 9, code: 'SEQUENCE_GAP' });
  });

  it('T-07: a truncated tail is caught by the external checkpoint; after the last checkpoint it is not', async () => {
    await asAttacker(async () => {
      await t.sql('DELETE FROM audit_events WHERE seq >= 12');
      await t.sql('DELETE FROM audit_checkpoints'); // and the copy inside the database
    });
    expect((await verification(t)).failure).toMatchObject({ seq: 12, code: 'TAIL_TRUNCATED' });
    await asAttacker(async () => {
      await t.sql(
        `INSERT INTO audit_events (${COLUMNS}) SELECT ${COLUMNS} FROM audit_snapshot WHERE seq >= 12`,
      );
      await t.sql('DELETE FROM audit_events WHERE seq >= 14');
    });
    // Documented limit: rows after the newest checkpoint can vanish unseen; the report says how many are at risk.
    expect(await verification(t)).toMatchObject({ intact: true, headSeq: 13, unanchoredEvents: 0 });
  });

  it('T-08: row k rewritten with every later hash recomputed breaks the signed checkpoint', async () => {
    const chain = await events();
    chain[5] = { ...chain[5]!, action: 'domain.update' };
    await asAttacker(() => rewriteFrom(chain, 6));
    expect((await verification(t)).failure).toMatchObject({ seq: 13, code: 'CHECKPOINT_MISMATCH' });
  });

  it('T-09: a forged row inserted between checkpoints is caught at the next checkpoint', async () => {
    const chain = await events();
    const forged = { ...chain[4]!, eventId: '00000000-0000-4000-8000-000000000000', action: 'domain.delete' };
    const shifted = [...chain.slice(0, 5), forged, ...chain.slice(5)].map((e, i) => ({ ...e, seq: i + 1 }));
    await asAttacker(() => rewriteFrom(shifted, 6));
    expect((await verification(t)).failure).toMatchObject({ seq: 13, code: 'CHECKPOINT_MISMATCH' });
  });

  it('T-10: two rows with swapped seq values break the link at the first', async () => {
    await asAttacker(async () => {
      await t.sql('UPDATE audit_events SET seq = 1000 WHERE seq = 10');
      await t.sql('UPDATE audit_events SET seq = 10 WHERE seq = 11');
      await t.sql('UPDATE audit_events SET seq = 11 WHERE seq = 1000');
    });
    expect((await verification(t)).failure).toMatchObject({ seq: 10, code: 'LINK_BROKEN' });
  });

  it('T-12: a forged checkpoint in the database fails closed', async () => {
    await t.sql(
      `INSERT INTO audit_checkpoints (seq, signed) SELECT 14, signed || '{"seq": 14}' FROM audit_checkpoints`,
    );
    expect((await verification(t)).failure).toMatchObject({ seq: 14, code: 'CHECKPOINT_SIGNATURE_INVALID' });
  });

  it('T-12: a truncated checkpoint file fails closed', async () => {
    writeFileSync(join(t.checkpointDir, 'checkpoint-000000000015.json'), '{"seq": 15, "headHa');
    try {
      const result = await verification(t);
      expect(result.intact).toBe(false);
      expect(result.failure).toMatchObject({ code: 'CHECKPOINT_MALFORMED' });
    } finally {
      rmSync(join(t.checkpointDir, 'checkpoint-000000000015.json'));
    }
  });

  it('runs the service as the app role: changes work, the audit table stays append-only for it', async () => {
    const asApp = await startAuditApp({ databaseUrl: t.databaseUrl, audit: { appRole: 'charter_app' } });
    try {
      const created = await asApp.gql(
        `mutation { createDomain(input: { name: "as-app-role", owningTeam: "t" }) { id } }`,
      );
      expect(created.errors).toBeUndefined();
      const pool = asApp.app.get<DataSource>(TypeormDataSource);
      expect(await pool.query('SELECT current_user AS who')).toEqual([{ who: 'charter_app' }]);
      await expect(pool.query('DELETE FROM audit_events WHERE seq = 1')).rejects.toMatchObject({
        code: '42501',
      });
      await expect(pool.query('TRUNCATE audit_events')).rejects.toMatchObject({ code: '42501' });
    } finally {
      await asApp.close();
    }
    await t.sql(`DELETE FROM domains WHERE name = 'as-app-role'`);
  });

  it('T-05: an owner who makes a column plain again (DROP EXPRESSION) and edits it is caught at k; readers still see the text', async () => {
    const other = await startAuditApp();
    try {
      await createDomains(other, 'unbound', 4);
      expect(await verification(other)).toMatchObject({ intact: true });
      await other.sql('ALTER TABLE audit_events ALTER COLUMN body DROP EXPRESSION');
      expect((await verification(other)).failure).toMatchObject({ seq: 0, code: 'COLUMNS_UNBOUND' });
      await other.sql('ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change');
      await other.sql(
        `UPDATE audit_events SET body = jsonb_set(body, '{action}', '"domain.delete"') WHERE seq = 5`,
      );
      expect((await verification(other)).failure).toMatchObject({
        seq: 5,
        code: 'HASH_MISMATCH',
        message: expect.stringMatching(/differ from its hashed text/),
      });
      const listed = await other.gql(`{ auditEvents(first: 20) { nodes { seq action } } }`);
      const nodes = listed.data?.auditEvents.nodes as { seq: number; action: string }[];
      expect(nodes.find((node) => node.seq === 5)?.action).toBe('domain.create');
    } finally {
      await other.close();
    }
  });

  it('T-05: with body made plain, an older row (no text) given a body that filters would read is caught at k', async () => {
    const other = await startAuditApp();
    try {
      await createDomains(other, 'legacy-body', 3);
      await other.sql('ALTER TABLE audit_events ALTER COLUMN body DROP EXPRESSION');
      await other.sql('ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change');
      await other.sql(
        `UPDATE audit_events SET stored_event_id = (body ->> 'eventId')::uuid, stored_actor = body -> 'actor',
           stored_action = body ->> 'action', stored_resource = body -> 'resource', stored_outcome = body ->> 'outcome',
           stored_reason = body ->> 'reason', stored_decision = body -> 'decision', stored_request = body -> 'request',
           stored_change = body -> 'change', canonical = NULL, body = NULL WHERE seq = 4`,
      );
      // the older row verifies from its stored columns, which is what filters read while body is NULL
      expect((await verification(other)).failure).toMatchObject({ seq: 0, code: 'COLUMNS_UNBOUND' });
      await other.sql(
        `UPDATE audit_events SET body = jsonb_build_object('action', 'domain.delete') WHERE seq = 4`,
      );
      expect((await verification(other)).failure).toMatchObject({ seq: 4, code: 'HASH_MISMATCH' });
    } finally {
      await other.close();
    }
  });

  it('T-11: the replayed older set is still stale after a restart (the newest accepted checkpoint is kept outside the database)', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const audit = {
      signingKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      checkpointDir: mkdtempSync(join(tmpdir(), 'charter-audit-restart-')),
      checkpointEvery: 1_000_000,
    };
    const domain = (app: AuditTestApp, n: string) =>
      app.gql(`mutation($n: String!) { createDomain(input: { name: $n, owningTeam: "t" }) { id } }`, { n });
    const first = await startAuditApp({ audit });
    await domain(first, 'replay-1');
    await first.checkpoint(); // seq 4
    await domain(first, 'replay-2');
    await first.checkpoint(); // seq 5: the newest, accepted by a verification before the restart
    expect(await verification(first)).toMatchObject({ intact: true, anchoredThrough: 5 });
    await first.close();
    // The attacker puts back the older set: checkpoint 5 gone from the database and the directory.
    const second = await startAuditApp({ databaseUrl: first.databaseUrl, audit });
    try {
      await second.sql('ALTER TABLE audit_checkpoints DISABLE TRIGGER audit_checkpoints_no_change');
      await second.sql('DELETE FROM audit_checkpoints WHERE seq = 5');
      rmSync(join(audit.checkpointDir, 'checkpoint-000000000005.json'));
      expect((await verification(second)).failure).toMatchObject({ seq: 5, code: 'CHECKPOINT_STALE' });
    } finally {
      await second.close();
    }
  });

  // Last: it leaves this instance remembering a checkpoint the restored snapshot does not hold.
  it('T-11: an older checkpoint set presented after a newer one was signed is stale', async () => {
    await t.checkpoint(); // signs seq 15
    const newest = join(t.checkpointDir, 'checkpoint-000000000015.json');
    await asAttacker(() => t.sql('DELETE FROM audit_checkpoints WHERE seq = 15'));
    rmSync(newest);
    expect((await verification(t)).failure).toMatchObject({ seq: 15, code: 'CHECKPOINT_STALE' });
    await asAttacker(() => t.sql('DELETE FROM audit_events WHERE seq >= 14'));
    expect((await verification(t)).failure).toMatchObject({ seq: 14, code: 'TAIL_TRUNCATED' });
  });
});
