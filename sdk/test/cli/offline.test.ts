import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { toCloudEventLine } from '../../src/audit';
import { buildChain, checkpointsFor, rechainFrom } from '../audit/chain-fixtures';
import { charter, CONTRACTS, workspace } from './harness';

const dir = workspace({
  ...CONTRACTS,
  'ok.json': { id: 'a-1', email: 'ada@example.com' },
  'bad.json': { id: 42, email: 'ada@example.com' },
  'mixed.jsonl': [
    JSON.stringify({ id: 'a' }),
    '',
    JSON.stringify({ id: 7 }),
    '{not json',
    JSON.stringify({ id: 'b', email: 'secret-value@example.com', extra: 1 }),
  ].join('\n'),
  'good.jsonl': `${JSON.stringify({ id: 'a' })}\n${JSON.stringify({ id: 'b' })}\n`,
});
const f = (name: string) => join(dir, name);

describe('charter check --against (offline, two files)', () => {
  it('exits 0 with PASS for a compatible change', async () => {
    const run = await charter(['check', 'pay.orders', f('v2.json'), '--against', f('v1.json')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^PASS: COMPATIBLE under BACKWARD \(STRICT\)/);
  });

  it('exits 1 for a breaking change, names it with its path, and never says PASS', async () => {
    const run = await charter(['check', 'pay.orders', f('v3.json'), '--against', f('v1.json')]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^FAIL: INCOMPATIBLE under BACKWARD \(STRICT\): \d+ breaking change/);
    expect(run.stdout).toMatch(/BREAKING \w+ \/id /);
    expect(run.stdout).not.toContain('PASS');
  });

  it('honours --mode: the same change under NONE passes', async () => {
    const run = await charter([
      'check',
      'pay.orders',
      f('v3.json'),
      '--against',
      f('v1.json'),
      '--mode',
      'NONE',
    ]);
    expect(run.code).toBe(0);
  });

  it('passes governance changes by default and fails them with --fail-on governance', async () => {
    const base = ['check', 'pay.orders', f('v4.json'), '--against', f('v1.json')];
    const lenient = await charter(base);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toMatch(/APPROVAL PII_TAG_REMOVED \/email/);
    const strict = await charter([...base, '--fail-on', 'governance']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/^FAIL: \d+ governance change\(s\) need approval \(--fail-on governance\)/);
  });

  it('exits 0 on a breaking change with --fail-on never, still listing it', async () => {
    const run = await charter([
      'check',
      'pay.orders',
      f('v3.json'),
      '--against',
      f('v1.json'),
      '--fail-on',
      'never',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/BREAKING/);
  });

  it.each([
    [['check', 'pay.orders', 'invalid.json', '--against', 'v1.json'], 'SCHEMA'],
    [['check', 'pay.orders', 'notjson.json', '--against', 'v1.json'], ''],
    [['check', 'pay.orders', 'missing.json', '--against', 'v1.json'], 'cannot read'],
    [['check', 'Pay.Orders', 'v2.json', '--against', 'v1.json'], 'domain.product'],
    [['check', 'pay.orders', 'v2.json', '--against', 'v1.json', '--fail-on', 'sometimes'], '--fail-on'],
    [['check', 'pay.orders', 'v2.json', '--against', 'v1.json', '--format', 'xml'], '--format'],
    [['check', 'pay.orders', 'v2.json', '--against', 'https://example.com/v1.json'], 'local files'],
    [['check', 'pay.orders'], 'needs'],
    [['check', 'pay.orders', 'v2.json', '--bogus'], ''],
  ])('exits 2 on usage or input errors: %j', async (argv, said) => {
    const run = await charter(argv.map((a) => (a.endsWith('.json') && !a.includes(':') ? f(a) : a)));
    expect(run.code).toBe(2);
    expect(run.stdout).not.toMatch(/PASS/);
    expect(`${run.stdout}\n${run.stderr}`).toContain(said);
  });

  it('lists why an invalid contract is invalid, with the line in the file', async () => {
    const run = await charter([
      'check',
      'pay.orders',
      f('invalid.json'),
      '--against',
      f('v1.json'),
      '--format',
      'json',
    ]);
    expect(run.code).toBe(2);
    const doc = JSON.parse(run.stdout);
    expect(doc).toMatchObject({ version: 1, command: 'check', status: 'error', valid: false });
    expect(doc.issues[0].path).toMatch(/^\/schema/);
  });

  it('asks for credentials (exit 2) when an online command has none', async () => {
    const run = await charter(['check', 'pay.orders', f('v2.json')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/CHARTER_URL or --url.*CHARTER_TOKEN or --token/);
    const half = await charter(['check', 'pay.orders', f('v2.json')], {
      env: { CHARTER_URL: 'http://127.0.0.1:1' },
    });
    expect(half.code).toBe(2);
    expect(half.stderr).toMatch(/CHARTER_TOKEN/);
    expect(half.stderr).not.toMatch(/CHARTER_URL or/);
  });
});

describe('charter validate (offline: the first argument is a contract file)', () => {
  it('exits 0 for a valid payload', async () => {
    const run = await charter(['validate', f('v1.json'), f('ok.json')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`PASS: 1 payload(s) valid against ${f('v1.json')}`);
  });

  it('exits 1 for an invalid payload, without printing payload values', async () => {
    const run = await charter(['validate', f('v1.json'), f('bad.json')]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^FAIL: 1 of 1 payload\(s\) invalid/);
    expect(run.stdout).toMatch(/ERROR \w+ \/id/);
    expect(run.stdout).not.toContain('42');
  });

  it('reports JSONL per line, with line numbers, keeping blank lines out of the count', async () => {
    const run = await charter(['validate', f('v1.json'), f('mixed.jsonl'), '--format', 'json']);
    expect(run.code).toBe(1);
    const doc = JSON.parse(run.stdout);
    expect(doc).toMatchObject({
      version: 1,
      command: 'validate',
      status: 'fail',
      offline: true,
      total: 4,
      valid: 1,
      invalid: 3,
    });
    expect(doc.results.map((r: { line: number; ok: boolean }) => [r.line, r.ok])).toEqual([
      [1, true],
      [3, false],
      [4, false],
      [5, false],
    ]);
    expect(doc.results[2].issues[0].code).toBe('PAYLOAD_NOT_JSON');
    expect(run.stdout).not.toContain('secret-value');
  });

  it('exits 0 when every line is valid', async () => {
    const run = await charter(['validate', f('v1.json'), f('good.jsonl')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^PASS: 2 payload\(s\) valid/);
  });

  it.each([
    [['validate', 'invalid.json', 'ok.json']],
    [['validate', 'v1.json', 'notjson.json']],
    [['validate', 'v1.json', 'missing.json']],
    [['validate', 'no-such-file.json', 'ok.json']],
    [['validate', 'v1.json', 'ok.json', '--version', '2']],
  ])('exits 2 on input errors: %j', async (argv) => {
    expect((await charter(argv.map((a) => (a.endsWith('.json') ? f(a) : a)))).code).toBe(2);
  });
});

describe('charter audit verify (offline)', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const other = generateKeyPairSync('ed25519').publicKey;
  const events = buildChain(6);
  const tampered = events.map((e) => (e.seq === 3 ? { ...e, reason: 'edited' } : e));
  const audit = workspace({
    'export.jsonl': events.map((e) => toCloudEventLine(e)).join('\n'),
    'tampered.jsonl': tampered.map((e) => toCloudEventLine(e)).join('\n'),
    'rechained.jsonl': rechainFrom(tampered, 2)
      .map((e) => toCloudEventLine(e))
      .join('\n'),
    'checkpoints.json': checkpointsFor(events, 3, privateKey),
    'key.pem': publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    'other.pem': other.export({ format: 'pem', type: 'spki' }).toString(),
    'not-a-key.pem': 'hello',
  });
  const a = (name: string) => join(audit, name);

  it('exits 0 for an intact export anchored by signed checkpoints', async () => {
    const run = await charter([
      'audit',
      'verify',
      a('export.jsonl'),
      '--public-key',
      a('key.pem'),
      '--checkpoints',
      a('checkpoints.json'),
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('PASS: 6 event(s) verified, anchored by signed checkpoints through seq 6');
  });

  it('exits 1 naming the first broken event, on the line it sits', async () => {
    const run = await charter([
      'audit',
      'verify',
      a('tampered.jsonl'),
      '--public-key',
      a('key.pem'),
      '--format',
      'github',
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n')[0]).toBe(
      `::error file=${a('tampered.jsonl')},line=3,title=HASH_MISMATCH at seq 3::event 3 does not match its hash`,
    );
  });

  it('catches a re-chained export with the checkpoints, and refuses checkpoints signed by another key', async () => {
    const rechained = await charter([
      'audit',
      'verify',
      a('rechained.jsonl'),
      '--public-key',
      a('key.pem'),
      '--checkpoints',
      a('checkpoints.json'),
    ]);
    expect(rechained.code).toBe(1);
    expect(rechained.stdout).toMatch(/^FAIL: the audit chain fails at seq 3: CHECKPOINT_MISMATCH/);
    const wrongKey = await charter([
      'audit',
      'verify',
      a('export.jsonl'),
      '--public-key',
      a('other.pem'),
      '--checkpoints',
      a('checkpoints.json'),
    ]);
    expect(wrongKey.code).toBe(1);
  });

  it.each([
    [['audit', 'verify', 'export.jsonl']],
    [['audit', 'verify', 'export.jsonl', '--public-key', 'not-a-key.pem']],
    [['audit', 'check', 'export.jsonl', '--public-key', 'key.pem']],
    [['audit', 'verify', 'export.jsonl', '--public-key', 'key.pem', '--checkpoints', 'not-a-key.pem']],
  ])('exits 2 on usage or input errors: %j', async (argv) => {
    expect((await charter(argv.map((x) => (/\.(jsonl|pem|json)$/.test(x) ? a(x) : x)))).code).toBe(2);
  });
});
