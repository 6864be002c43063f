import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCharterClient } from '@charter/sdk';
import { runCli } from '../../sdk/src/cli/main';
import { closedObject, contractText } from '../factories/contracts';
import { createProduct } from '../support/registry';
import { startTestApp, TEST_ADMIN_KEY, type TestApp } from '../support/test-app';

const dir = mkdtempSync(join(tmpdir(), 'charter-cli-online-'));
const file = (name: string, text: string): string => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const v1 = file(
  'v1.json',
  contractText({ schema: closedObject({ id: { type: 'string', maxLength: 8 } }, ['id']) }),
);
const v2 = file(
  'v2.json',
  contractText({
    schema: closedObject({ id: { type: 'string', maxLength: 8 }, note: { type: 'string', maxLength: 9 } }, [
      'id',
    ]),
  }),
);
const breaking = file('v3.json', contractText({ schema: closedObject({ id: { type: 'integer' } }, ['id']) }));
const payload = file(
  'p.jsonl',
  `${JSON.stringify({ id: 'ok' })}\n${JSON.stringify({ id: 'far-too-long' })}\n`,
);

async function cli(argv: string[], env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    readFile: (p) => readFileSync(p, 'utf8'),
    env,
  });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('charter CLI and SDK client against the real service', () => {
  let t: TestApp;
  let env: Record<string, string>;
  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.getHttpServer().address() as { port: number };
    env = { CHARTER_URL: `http://127.0.0.1:${address.port}`, CHARTER_TOKEN: TEST_ADMIN_KEY };
    await createProduct(t, 'payments', 'orders');
  });
  afterAll(() => t.close());

  it('publishes, checks, validates, and refuses a breaking change, with the documented exit codes', async () => {
    expect((await cli(['publish', 'payments.orders', v1], env)).stdout).toMatch(
      /^PASS: published payments.orders version 1/,
    );
    const check = await cli(['check', 'payments.orders', v2, '--format', 'json'], env);
    expect(check.code).toBe(0);
    expect(JSON.parse(check.stdout)).toMatchObject({
      version: 1,
      command: 'check',
      status: 'pass',
      offline: false,
    });
    const refused = await cli(['check', 'payments.orders', breaking], env);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/^FAIL: INCOMPATIBLE under BACKWARD/);
    expect((await cli(['publish', 'payments.orders', breaking], env)).code).toBe(1);
    const validated = await cli(['validate', 'payments.orders', payload, '--format', 'json'], env);
    expect(validated.code).toBe(1);
    expect(JSON.parse(validated.stdout)).toMatchObject({ total: 2, valid: 1, invalid: 1 });
    expect((await cli(['validate', 'payments.missing', payload], env)).code).toBe(2);
  });

  it('exits 3 for a wrong key, and the SDK client reads what the CLI published', async () => {
    const wrong = await cli(['check', 'payments.orders', v2], {
      ...env,
      CHARTER_TOKEN: `chk_live_0000000000nobody_${'B'.repeat(43)}`,
    });
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toMatch(/CHARTER_TOKEN/);
    const client = createCharterClient({ url: env.CHARTER_URL, token: TEST_ADMIN_KEY });
    const validator = await client.validator('payments.orders', 1);
    expect(validator.validate({ id: 'ok' }).ok).toBe(true);
    expect(validator.validate({ id: 'far-too-long' }).ok).toBe(false);
    expect(await client.validator('payments.orders', 'latest')).toBeDefined();
  });
});
