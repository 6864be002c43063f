import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../sdk/src/cli/main';
import { TEST_ADMIN_KEY } from '../support/test-app';
import { type AuditTestApp, startAuditApp } from './audit-app';

const dir = mkdtempSync(join(tmpdir(), 'charter-cli-audit-'));

async function cli(argv: string[], env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    readFile: (p) => readFileSync(p, 'utf8'),
    writeFile: (p, text) => {
      writeFileSync(p, text);
    },
    env,
  });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

/** `charter audit verify` with no export file: the service's export verified here, beside its own verdict. */
describe('charter audit verify against the running service', () => {
  let t: AuditTestApp;
  let env: Record<string, string>;
  let key: string;
  const state = join(dir, 'audit-state.json');
  const verify = (...extra: string[]) => cli(['audit', 'verify', '--public-key', key, ...extra], env);
  const createDomain = (n: string) =>
    t.gql(`mutation($n: String!) { createDomain(input: { name: $n, owningTeam: "t" }) { id } }`, { n });

  beforeAll(async () => {
    t = await startAuditApp({ audit: { checkpointEvery: 1_000_000 } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.getHttpServer().address() as { port: number };
    env = { CHARTER_URL: `http://127.0.0.1:${address.port}`, CHARTER_TOKEN: TEST_ADMIN_KEY };
    key = join(dir, 'signer.pem');
    writeFileSync(key, t.publicKey.export({ format: 'pem', type: 'spki' }).toString());
    for (let i = 0; i < 6; i += 1) await createDomain(`cli-audit-${i}`);
    await t.checkpoint(); // seq 9: 3 bootstrap events + 6
    await createDomain('cli-audit-6');
  });
  afterAll(() => t.close());

  it('verifies the export locally with the public key, reports the service agreeing, and remembers the checkpoint', async () => {
    const run = await verify('--state', state, '--format', 'json');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({
      status: 'pass',
      source: env.CHARTER_URL,
      result: { ok: true, eventsVerified: 10, anchoredThrough: 9, unanchoredEvents: 1 },
      server: { intact: true, eventsVerified: 10, anchoredThrough: 9 },
    });
    expect(JSON.parse(readFileSync(state, 'utf8'))).toMatchObject({
      version: 1,
      lastSeenCheckpoint: { seq: 9 },
    });
    expect((await verify()).stdout).toMatch(/^PASS: 10 event\(s\) verified.*the service agrees/);
  });

  it('exits 3 for a wrong key and 2 without a public key, like the other online commands', async () => {
    const wrong = await cli(['audit', 'verify', '--public-key', key], {
      ...env,
      CHARTER_TOKEN: `chk_live_0000000000nobody_${'B'.repeat(43)}`,
    });
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toMatch(/CHARTER_TOKEN/);
    expect((await cli(['audit', 'verify'], env)).code).toBe(2);
    const damaged = join(dir, 'damaged-state.json');
    writeFileSync(damaged, '{"version": 1, "lastSeenCheckpoint": {"seq": "x"}}');
    const refused = await verify('--state', damaged);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/not a charter audit state/);
  });

  it('finds a row edited in the database at its seq, and says what the service reports', async () => {
    await t.sql('ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change');
    try {
      await t.sql(
        `UPDATE audit_events SET canonical = replace(canonical, '"success"', '"denied"') WHERE seq = 6`,
      );
      const run = await verify('--format', 'json');
      expect(run.code).toBe(1);
      expect(JSON.parse(run.stdout)).toMatchObject({
        status: 'fail',
        result: { ok: false, seq: 6, code: 'HASH_MISMATCH' },
        server: { intact: false, failure: { seq: 6, code: 'HASH_MISMATCH' } },
      });
      expect((await verify()).stdout).toMatch(/^FAIL: the audit chain fails at seq 6: HASH_MISMATCH/);
    } finally {
      await t.sql(
        `UPDATE audit_events SET canonical = replace(canonical, '"denied"', '"success"') WHERE seq = 6`,
      );
      await t.sql('ALTER TABLE audit_events ENABLE ALWAYS TRIGGER audit_events_no_change');
    }
    expect((await verify()).code).toBe(0);
  });

  it('T-11: an older checkpoint set presented as current is stale for a verifier with its state file, after a restart too', async () => {
    await createDomain('cli-audit-7');
    const { seq: newest } = (await t.checkpoint()) as { seq: number };
    expect(newest).toBeGreaterThan(9);
    expect((await verify('--state', state)).code).toBe(0);
    expect(JSON.parse(readFileSync(state, 'utf8'))).toMatchObject({ lastSeenCheckpoint: { seq: newest } });
    // The attacker removes the newest checkpoint from the database and the directory: only seq 9 is left.
    await t.sql('ALTER TABLE audit_checkpoints DISABLE TRIGGER audit_checkpoints_no_change');
    await t.sql('DELETE FROM audit_checkpoints WHERE seq = $1', [newest]);
    await t.sql('ALTER TABLE audit_checkpoints ENABLE ALWAYS TRIGGER audit_checkpoints_no_change');
    rmSync(join(t.checkpointDir, `checkpoint-${String(newest).padStart(12, '0')}.json`));
    // A new CLI process knows only its state file.
    const replayed = await verify('--state', state, '--format', 'json');
    expect(replayed.code).toBe(1);
    expect(JSON.parse(replayed.stdout)).toMatchObject({
      result: { ok: false, seq: newest, code: 'CHECKPOINT_STALE' },
    });
    expect(JSON.parse(readFileSync(state, 'utf8'))).toMatchObject({ lastSeenCheckpoint: { seq: newest } });
    // Without the state the replay is invisible here: the events after seq 9 only count as unanchored.
    const forgetful = await verify('--format', 'json');
    expect(JSON.parse(forgetful.stdout)).toMatchObject({ result: { ok: true, anchoredThrough: 9 } });
    expect(existsSync(state)).toBe(true);
  });
});
