import { join } from 'node:path';
import {
  closedPort,
  errorReply,
  startRegistryStub,
  versionReply,
  type RegistryStub,
} from '../client/registry-stub';
import { charter, CONTRACTS, workspace } from './harness';

const TOKEN = 'chk_live_0000000000cli000_secret';
const dir = workspace({ ...CONTRACTS, 'ok.json': { id: 'abc' }, 'long.json': { id: 'abcdef' } });
const f = (name: string) => join(dir, name);

const change = (breaking: boolean) => ({
  type: breaking ? 'TYPE_NARROWED' : 'PROPERTY_ADDED',
  category: 'schema',
  breaking,
  breaks: breaking ? ['backward'] : [],
  schemaPath: '/properties/id/type',
  instancePath: '/id',
  message: breaking ? 'Type at /id changed from string to integer.' : 'Property /note was added.',
  fix: breaking ? 'keep accepting strings' : null,
  againstVersion: 2,
});

describe('online commands against a loopback registry', () => {
  let stub: RegistryStub;
  let env: Record<string, string>;
  beforeEach(async () => {
    stub = await startRegistryStub();
    env = { CHARTER_URL: stub.url, CHARTER_TOKEN: TOKEN };
  });
  afterEach(() => stub.close());

  it('check: sends the file as submitted with the token from CHARTER_TOKEN, exit 0 when compatible', async () => {
    stub.reply(() => ({
      body: {
        data: {
          checkContract: {
            __typename: 'CompatibleContract',
            mode: 'BACKWARD',
            policy: 'STRICT',
            needsApproval: false,
            existingVersion: null,
            changes: [change(false)],
          },
        },
      },
    }));
    const run = await charter(['check', 'pay.orders', f('v2.json')], { env });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^PASS: COMPATIBLE under BACKWARD \(STRICT\)/);
    expect(stub.requests).toEqual([
      expect.objectContaining({
        operation: 'CharterCheckContract',
        authorization: `Bearer ${TOKEN}`,
        path: '/graphql',
        variables: { product: 'pay.orders', contract: JSON.stringify(CONTRACTS['v2.json'], null, 2) },
      }),
    ]);
  });

  it('check: exit 1 with the registry’s changes when incompatible; --fail-on never makes it 0', async () => {
    stub.reply(() => ({
      body: {
        data: {
          checkContract: {
            __typename: 'IncompatibleContract',
            verdict: 'incompatible',
            mode: 'BACKWARD',
            policy: 'STRICT',
            reason: null,
            changes: [change(true)],
          },
        },
      },
    }));
    const run = await charter(['check', 'pay.orders', f('v3.json'), '--format', 'github'], { env });
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n')[0]).toBe(
      `::error file=${f('v3.json')},line=11,title=TYPE_NARROWED at /id::Type at /id changed from string to integer.%0AFix: keep accepting strings`,
    );
    expect((await charter(['check', 'pay.orders', f('v3.json'), '--fail-on', 'never'], { env })).code).toBe(
      0,
    );
  });

  it('check: exit 2 when the registry finds the contract invalid, and for --mode online', async () => {
    stub.reply(() => ({
      body: {
        data: {
          checkContract: {
            __typename: 'InvalidContract',
            issues: [{ path: '/schema', code: 'SCHEMA_TYPE', message: 'bad' }],
          },
        },
      },
    }));
    const run = await charter(['check', 'pay.orders', f('v1.json'), '--format', 'json'], { env });
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({
      status: 'error',
      valid: false,
      issues: [{ code: 'SCHEMA_TYPE' }],
    });
    expect((await charter(['check', 'pay.orders', f('v1.json'), '--mode', 'FULL'], { env })).code).toBe(2);
  });

  it('publish: exit 0 with the new version; exit 1 when refused as incompatible', async () => {
    stub.reply(() => ({
      body: {
        data: {
          publishContractVersion: {
            __typename: 'ContractVersionPublished',
            created: true,
            needsApproval: false,
            contractVersion: {
              id: 41,
              product: 'pay.orders',
              version: 3,
              contentHash: 'h',
              state: 'active',
              deleted: false,
            },
            changes: [change(false)],
          },
        },
      },
    }));
    const run = await charter(['publish', 'pay.orders', f('v2.json')], { env });
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe('PASS: published pay.orders version 3 (id 41)');
    expect(stub.requests[0]?.operation).toBe('CharterPublishContract');
    stub.reply(() => ({
      body: {
        data: {
          publishContractVersion: {
            __typename: 'IncompatibleContract',
            verdict: 'incompatible',
            mode: 'BACKWARD',
            policy: 'STRICT',
            reason: null,
            changes: [change(true)],
          },
        },
      },
    }));
    const refused = await charter(['publish', 'pay.orders', f('v3.json')], { env });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/^FAIL: INCOMPATIBLE/);
  });

  it('validate: a product name fetches the contract version (latest or --version) and judges payloads', async () => {
    stub.reply((r) =>
      versionReply('pay.orders', r.variables.version === 'latest' ? 2 : Number(r.variables.version), 3),
    );
    const ok = await charter(['validate', 'pay.orders', f('ok.json')], { env });
    expect(ok.code).toBe(0);
    const bad = await charter(
      ['validate', 'pay.orders', f('long.json'), '--version', '2', '--format', 'json'],
      { env },
    );
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ command: 'validate', offline: false, invalid: 1 });
    expect(stub.requests.map((r) => r.variables.version)).toEqual(['latest', '2']);
  });

  it('flags override the environment', async () => {
    stub.reply(() => errorReply('NOT_FOUND'));
    const run = await charter(
      ['validate', 'pay.orders', f('ok.json'), '--url', stub.url, '--token', 'chk_other'],
      {
        env: { CHARTER_URL: 'http://127.0.0.1:1', CHARTER_TOKEN: TOKEN },
      },
    );
    expect(stub.requests[0]?.authorization).toBe('Bearer chk_other');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/not visible to this key/);
  });

  it.each([
    ['UNAUTHENTICATED', 401, 'CHARTER_AUTH'],
    ['FORBIDDEN', 200, 'CHARTER_AUTH'],
    ['INTERNAL', 200, 'CHARTER_INTERNAL'],
  ])('exit 3 when the registry answers %s', async (code, status, expected) => {
    stub.reply(() => errorReply(code, status, { errorId: 'err-9' }));
    const run = await charter(['check', 'pay.orders', f('v1.json'), '--format', 'json'], { env });
    expect(run.code).toBe(3);
    expect(JSON.parse(run.stdout)).toMatchObject({
      version: 1,
      command: 'check',
      status: 'error',
      error: { code: expected },
    });
    expect(stub.requests).toHaveLength(1);
  });

  it('exit 2 for NOT_FOUND and for a bad --version', async () => {
    stub.reply(() => errorReply('NOT_FOUND'));
    expect((await charter(['publish', 'pay.orders', f('v1.json')], { env })).code).toBe(2);
    expect((await charter(['validate', 'pay.orders', f('ok.json'), '--version', 'v2'], { env })).code).toBe(
      2,
    );
  });
});

describe('an unreachable registry', () => {
  it.each([
    [['check', 'pay.orders', 'v1.json']],
    [['publish', 'pay.orders', 'v1.json']],
    [['validate', 'pay.orders', 'ok.json']],
  ])(
    'exits 3 for %j on a closed loopback port, in every format',
    async (argv) => {
      const env = { CHARTER_URL: `http://127.0.0.1:${await closedPort()}`, CHARTER_TOKEN: TOKEN };
      const args = argv.map((a) => (a.endsWith('.json') ? f(a) : a));
      const text = await charter(args, { env });
      expect(text.code).toBe(3);
      expect(text.stdout).toBe('');
      expect(text.stderr).toMatch(/^ERROR: charter \w+: the registry could not be reached/);
      const json = await charter([...args, '--format', 'json'], { env });
      expect(json.code).toBe(3);
      expect(JSON.parse(json.stdout).error.code).toBe('CHARTER_UNREACHABLE');
    },
    20_000,
  );
});
