import { createHash, createHmac, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { CredentialsCache } from '../../src/auth/credentials-cache';
import { BOOTSTRAP_KEY_FILE } from '../../src/modules/principals/bootstrap-admin';
import { firstCode, startTestApp, TEST_ADMIN_KEY, type TestApp } from '../support/test-app';
import { until } from '../support/until';

const ISSUER = 'https://idp.example.test';
const AUDIENCE = 'charter';
const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = (): number => Math.floor(Date.now() / 1000);

function es256(
  key: KeyObject,
  claims: Record<string, unknown>,
  header: Record<string, unknown> = {},
): string {
  const input = `${b64({ alg: 'ES256', typ: 'JWT', kid: 'k1', ...header })}.${b64(claims)}`;
  return `${input}.${sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
}

const claims = (overrides: Record<string, unknown> = {}) => ({
  iss: ISSUER,
  aud: AUDIENCE,
  sub: 'user-123',
  iat: now(),
  exp: now() + 300,
  ...overrides,
});

async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('credentials', () => {
  let t: TestApp;
  const ours = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const theirs = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  let memberKey: string;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'charter-jwks-'));
    const jwksFile = join(dir, 'jwks.json');
    const jwk = ours.publicKey.export({ format: 'jwk' });
    writeFileSync(jwksFile, JSON.stringify({ keys: [{ ...jwk, kid: 'k1', alg: 'ES256', use: 'sig' }] }));
    t = await startTestApp({
      config: {
        jwt: {
          issuer: ISSUER,
          audience: AUDIENCE,
          jwksFile,
          jwksJson: null,
          algorithms: ['ES256', 'RS256'],
          clockSkewSeconds: 30,
        },
      },
    });
    await t.gql(
      `mutation { createPrincipal(input: { name: "ada", kind: person, jwtSubject: "user-123" }) { id } }`,
    );
    memberKey = await t.principalWith('member', []);
  });
  afterAll(() => t.close());

  const me = (token: string | null) => t.gqlAs(token, `{ me { name } }`);

  /** Refused with the same 401 body whatever the reason, and the reason reaches the audit seam. */
  async function expectRefused(token: string | null, reason: string, header?: string): Promise<void> {
    const before = t.audit.ofType('authentication.failed').length;
    const response = header
      ? await t.app.inject({
          method: 'POST',
          url: '/graphql',
          headers: { authorization: header },
          payload: { query: '{ me { name } }' },
        })
      : null;
    const result = response ? { status: response.statusCode, ...response.json() } : await me(token);
    expect(result.status).toBe(401);
    expect(result.data).toBeNull();
    expect(result.errors).toEqual([
      { message: 'missing or invalid credentials', extensions: { code: 'UNAUTHENTICATED' } },
    ]);
    const failures = t.audit.ofType('authentication.failed');
    expect(failures).toHaveLength(before + 1);
    expect(failures[failures.length - 1]?.reason).toBe(reason);
  }

  describe('API keys', () => {
    it('lets a valid key in and stamps its last use', async () => {
      expect((await me(memberKey)).data).toEqual({ me: { name: 'member' } });
      const keyId = memberKey.split('_')[2];
      const rows = await query<{ last_used_at: Date | null }>(
        t.databaseUrl,
        'SELECT last_used_at FROM api_keys WHERE key_id = $1',
        [keyId],
      );
      expect(rows[0]?.last_used_at).toBeInstanceOf(Date);
    });

    it('refuses a missing, malformed or foreign-scheme credential', async () => {
      await expectRefused(null, 'missing');
      await expectRefused('chk_live_short', 'malformed');
      await expectRefused('not-a-token', 'malformed');
      await expectRefused(null, 'malformed', `Basic ${Buffer.from('a:b').toString('base64')}`);
    });

    it('refuses a key from another environment, even a well-formed one', async () => {
      await expectRefused(memberKey.replace('chk_live_', 'chk_test_'), 'wrong-environment');
    });

    it('refuses an unknown key id and a right id with the wrong secret', async () => {
      await expectRefused(`chk_live_ffffffffffffffff_${'B'.repeat(43)}`, 'unknown-key');
      const tampered = memberKey.slice(0, -1) + (memberKey.endsWith('A') ? 'B' : 'A');
      await expectRefused(tampered, 'wrong-secret');
    });

    it('refuses a revoked key from the next request on', async () => {
      const key = await t.principalWith('leaver', []);
      expect(firstCode(await me(key))).toBe('OK');
      const revoked = await t.gqlAs(key, `mutation($k: String!) { revokeApiKey(keyId: $k) { revokedAt } }`, {
        k: key.split('_')[2],
      });
      expect(revoked.data?.revokeApiKey.revokedAt).toEqual(expect.any(String));
      await expectRefused(key, 'revoked');
    });

    it('refuses an expired key', async () => {
      const created = await t.gql(
        `mutation($e: DateTime) { createApiKey(input: { principal: "member", expiresAt: $e }) { secret apiKey { keyId expiresAt } } }`,
        { e: new Date(Date.now() + 60_000).toISOString() },
      );
      const { secret, apiKey } = created.data!.createApiKey;
      expect(firstCode(await me(secret))).toBe('OK');
      // A write behind the service's back reaches its key cache by NOTIFY, after the commit.
      const cache = t.app.get(CredentialsCache);
      const generation = cache.generation;
      await query(
        t.databaseUrl,
        `UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE key_id = $1`,
        [apiKey.keyId],
      );
      expect(
        await until(
          () => cache.generation,
          (g) => g !== generation,
        ),
      ).not.toBe(generation);
      await expectRefused(secret, 'expired');
      const past = await t.gql(
        `mutation { createApiKey(input: { principal: "member", expiresAt: "2000-01-01T00:00:00Z" }) { secret } }`,
      );
      expect(firstCode(past)).toBe('INVALID_INPUT');
    });

    it('stores only a SHA-256 of each key: nothing in the table turns back into a key', async () => {
      const created = await t.gql(
        `mutation { createApiKey(input: { principal: "member", label: "ci" }) { secret apiKey { keyId } } }`,
      );
      const { secret, apiKey } = created.data!.createApiKey;
      expect(secret).toMatch(/^chk_live_[a-z0-9]{16}_[A-Za-z0-9_-]{43}$/);
      const secretPart = secret.slice(-43);
      const rows = await query<Record<string, unknown>>(t.databaseUrl, 'SELECT * FROM api_keys');
      expect(Object.keys(rows[0] ?? {}).sort()).toEqual(
        [
          'created_at',
          'environment',
          'expires_at',
          'key_id',
          'label',
          'last_used_at',
          'principal_id',
          'revoked_at',
          'secret_sha256',
        ].sort(),
      );
      const dump =
        JSON.stringify(rows) + rows.map((r) => (r.secret_sha256 as Buffer).toString('latin1')).join('');
      expect(dump).not.toContain(secretPart);
      const row = rows.find((r) => r.key_id === apiKey.keyId);
      expect((row?.secret_sha256 as Buffer).equals(createHash('sha256').update(secret).digest())).toBe(true);
      // The secret is shown once: no query returns it again.
      const listed = await t.gql(`{ principal(name: "member") { apiKeys { keyId label } } }`);
      expect(JSON.stringify(listed)).not.toContain(secretPart);
    });
  });

  describe('API keys over one keep-alive connection (the header a connection repeats is not re-hashed)', () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    let origin: string;

    beforeAll(async () => {
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      origin = await t.app.getUrl();
    });
    afterAll(() => {
      agent.destroy();
    });

    /** `{ me { name } }` on the agent's one socket; reused: whether that socket carried a request before. */
    function meOverConnection(token: string): Promise<{ status: number; body: any; reused: boolean }> {
      return new Promise((resolve, reject) => {
        const sent = httpRequest(
          `${origin}/graphql`,
          {
            method: 'POST',
            agent,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          },
          (response) => {
            let text = '';
            response.on('data', (chunk: Buffer) => (text += chunk.toString()));
            response.on('end', () => {
              resolve({
                status: response.statusCode ?? 0,
                body: JSON.parse(text),
                reused: sent.reusedSocket,
              });
            });
          },
        );
        sent.on('error', reject);
        sent.end(JSON.stringify({ query: '{ me { name } }' }));
      });
    }

    const lastFailure = () => t.audit.ofType('authentication.failed').at(-1)?.reason;

    it('still refuses a wrong secret, a revoked key, and serves another key as its own caller', async () => {
      const key = await t.principalWith('keepalive', []);
      expect((await meOverConnection(key)).body.data).toEqual({ me: { name: 'keepalive' } });
      const again = await meOverConnection(key);
      expect(again.reused).toBe(true);
      expect(again.body.data).toEqual({ me: { name: 'keepalive' } });

      // Same length, one character off: compared in full, refused, and audited as before.
      const tampered = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
      const wrong = await meOverConnection(tampered);
      expect([wrong.reused, wrong.status, lastFailure()]).toEqual([true, 401, 'wrong-secret']);
      expect((await meOverConnection(key)).body.data).toEqual({ me: { name: 'keepalive' } });

      // Another caller on the same connection (a proxy may multiplex): answered as that caller.
      expect((await meOverConnection(memberKey)).body.data).toEqual({ me: { name: 'member' } });

      const revoked = await t.gqlAs(key, `mutation($k: String!) { revokeApiKey(keyId: $k) { revokedAt } }`, {
        k: key.split('_')[2],
      });
      expect(revoked.data?.revokeApiKey.revokedAt).toEqual(expect.any(String));
      expect((await meOverConnection(key)).body.data).toEqual(null);
      const refused = await meOverConnection(key);
      expect([refused.reused, refused.status, lastFailure()]).toEqual([true, 401, 'revoked']);
    });
  });

  describe('JWT bearer tokens', () => {
    it('lets a token of the configured issuer and audience in, within the clock skew', async () => {
      expect((await me(es256(ours.privateKey, claims()))).data).toEqual({ me: { name: 'ada' } });
      expect(firstCode(await me(es256(ours.privateKey, claims({ exp: now() - 10 }))))).toBe('OK');
    });

    it('refuses a token for another audience or from another issuer', async () => {
      await expectRefused(es256(ours.privateKey, claims({ aud: 'another-service' })), 'wrong-audience');
      await expectRefused(
        es256(ours.privateKey, claims({ iss: 'https://evil.example.test' })),
        'wrong-issuer',
      );
    });

    it('refuses an expired token and one not yet valid, beyond the skew', async () => {
      await expectRefused(es256(ours.privateKey, claims({ exp: now() - 120 })), 'expired');
      await expectRefused(es256(ours.privateKey, claims({ nbf: now() + 120 })), 'not-yet-valid');
    });

    it('refuses a token signed by another key, under our kid or its own', async () => {
      await expectRefused(es256(theirs.privateKey, claims()), 'bad-signature');
      await expectRefused(es256(theirs.privateKey, claims(), { kid: 'theirs' }), 'bad-signature');
      const token = es256(ours.privateKey, claims());
      const [header, , signature] = token.split('.');
      await expectRefused(`${header}.${b64(claims({ sub: 'someone-else' }))}.${signature}`, 'bad-signature');
    });

    it('refuses alg none and an HMAC signed with our public key (algorithm confusion)', async () => {
      await expectRefused(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`, 'algorithm-not-allowed');
      const input = `${b64({ alg: 'HS256', typ: 'JWT', kid: 'k1' })}.${b64(claims())}`;
      const pem = ours.publicKey.export({ format: 'pem', type: 'spki' });
      const forged = `${input}.${createHmac('sha256', pem).update(input).digest('base64url')}`;
      await expectRefused(forged, 'algorithm-not-allowed');
    });

    it('refuses a valid token whose subject is no principal, and a token without exp', async () => {
      await expectRefused(es256(ours.privateKey, claims({ sub: 'stranger' })), 'unknown-subject');
      const { exp: _exp, ...withoutExp } = claims();
      await expectRefused(es256(ours.privateKey, withoutExp), 'malformed');
    });
  });

  it('answers nothing anonymously, not even __typename or introspection', async () => {
    await expectRefused(null, 'missing');
    for (const document of ['{ __typename }', '{ __schema { queryType { name } } }']) {
      const response = await t.app.inject({ method: 'POST', url: '/graphql', payload: { query: document } });
      expect(response.statusCode).toBe(401);
      expect(response.json().data).toBeNull();
      // GET is a GraphQL route of its own: it carries the same check.
      const viaGet = await t.app.inject({
        method: 'GET',
        url: '/graphql',
        query: { query: document },
        headers: { 'mercurius-require-preflight': 'true' },
      });
      expect(viaGet.statusCode).toBe(401);
      expect(viaGet.json().data).toBeNull();
    }
    expect((await t.app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
  });
});

describe('bootstrap admin', () => {
  it('writes a first admin key into the data dir when none is configured, once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'charter-bootstrap-'));
    const first = await startTestApp({ config: { bootstrapAdminKey: null, dataDir } });
    const file = join(dataDir, BOOTSTRAP_KEY_FILE);
    try {
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const key = readFileSync(file, 'utf8').trim();
      expect(key).not.toBe(TEST_ADMIN_KEY);
      expect((await first.gqlAs(key, `{ me { name grants { role } } }`)).data).toEqual({
        me: { name: 'bootstrap-admin', grants: [{ role: 'admin' }] },
      });
      expect(first.audit.ofType('api-key.created')).toHaveLength(1);
    } finally {
      await first.close();
    }
    const written = statSync(file).mtimeMs;
    const second = await startTestApp({
      databaseUrl: first.databaseUrl,
      config: { bootstrapAdminKey: null, dataDir },
    });
    try {
      expect(statSync(file).mtimeMs).toBe(written);
      expect(second.audit.ofType('api-key.created')).toHaveLength(0);
    } finally {
      await second.close();
    }
  });
});
