import { createServer, type Server } from 'node:net';
import { closedObject, contractDocument, contractText } from '../factories/contracts';
import { createProduct, publish, registryCounts } from '../support/registry';
import { firstCode, startTestApp, type TestApp } from '../support/test-app';

const withSchema = (schema: unknown): string => contractText({ schema });
const nested = (levels: number): unknown => {
  let schema: unknown = { type: 'string' };
  for (let i = 0; i < levels; i += 1) schema = { type: 'object', properties: { n: schema } };
  return schema;
};

/** A loopback listener that counts connections: a remote $ref must never reach it. */
async function countingListener(): Promise<{ server: Server; port: number; connections: () => number }> {
  let connections = 0;
  const server = createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    server,
    port: typeof address === 'object' && address ? address.port : 0,
    connections: () => connections,
  };
}

describe('hostile contract input (RELIABILITY B-01..B-27)', () => {
  let t: TestApp;
  let listener: Awaited<ReturnType<typeof countingListener>>;
  beforeAll(async () => {
    t = await startTestApp({ config: { rateLimit: { perMinute: 100_000, burst: 100_000 } } });
    listener = await countingListener();
    await createProduct(t, 'hostile', 'events');
  });
  afterAll(async () => {
    listener.server.close();
    await t.close();
  });

  const refusedWith = async (text: string): Promise<string[]> => {
    const before = await registryCounts(t.databaseUrl);
    const result = await publish(t, 'hostile.events', text);
    expect(result.__typename).toBe('InvalidContract');
    expect(await registryCounts(t.databaseUrl)).toEqual(before);
    for (const issue of result.issues) {
      expect(issue.message).not.toMatch(/Error:|at [\w.]+ \(|node_modules|\/work\//);
    }
    return result.issues.map((issue: { code: string }) => issue.code);
  };

  it.each([
    [
      'B-01 a document nested 1,000 levels',
      () => JSON.stringify(contractDocument({ schema: nested(1000) })),
      'DOCUMENT_TOO_DEEP',
    ],
    ['B-01 a schema nested 40 levels', () => withSchema(nested(40)), 'SCHEMA_TOO_DEEP'],
    [
      'B-02 a contract over 256 KiB',
      () => withSchema({ type: 'string', description: 'x'.repeat(300 * 1024) }),
      'CONTRACT_TOO_LARGE',
    ],
    [
      'B-03 an enum of 5,000 values',
      () => withSchema({ enum: Array.from({ length: 5_000 }, (_, i) => i) }),
      'SCHEMA_ENUM_TOO_LARGE',
    ],
    ['B-05 a file $ref', () => withSchema({ $ref: 'file:///etc/passwd' }), 'REF_FORBIDDEN'],
    ['B-05 an absolute path $ref', () => withSchema({ $ref: '/etc/passwd' }), 'REF_FORBIDDEN'],
    ['B-05 a relative $ref', () => withSchema({ $ref: 'package.json' }), 'REF_FORBIDDEN'],
    [
      'B-10 an $id rebasing a relative $ref',
      () => withSchema({ $id: 'https://example.com/s.json', properties: { a: { $ref: 'other.json' } } }),
      'REF_FORBIDDEN',
    ],
    [
      'B-12 a look-ahead pattern',
      () => withSchema({ type: 'string', pattern: '^(?=a)a$' }),
      'PATTERN_UNSUPPORTED',
    ],
    [
      'B-12 a back-reference pattern',
      () => withSchema({ type: 'string', pattern: '^(a)\\1$' }),
      'PATTERN_UNSUPPORTED',
    ],
    ['B-13 an invalid pattern', () => withSchema({ type: 'string', pattern: '([' }), 'INVALID_PATTERN'],
    [
      'B-14 patternProperties with a look-ahead',
      () => withSchema({ type: 'object', patternProperties: { '^(?!x)': { type: 'string' } } }),
      'PATTERN_UNSUPPORTED',
    ],
    [
      'B-15 format email without maxLength',
      () => withSchema({ type: 'string', format: 'email' }),
      'UNBOUNDED_FORMAT',
    ],
    [
      'B-16 uniqueItems without maxItems',
      () => withSchema({ type: 'array', uniqueItems: true, items: { type: 'object' } }),
      'UNBOUNDED_UNIQUE_ITEMS',
    ],
    [
      'B-17 a oneOf with 40 branches',
      () => withSchema({ oneOf: Array.from({ length: 40 }, (_, i) => ({ const: i })) }),
      'COMBINATOR_TOO_LARGE',
    ],
    ['B-20 $dynamicRef', () => withSchema({ $dynamicRef: '#meta' }), 'UNSUPPORTED_KEYWORD'],
    [
      'B-20 an unknown dialect',
      () => withSchema({ $schema: 'https://example.com/my-dialect', type: 'string' }),
      'UNSUPPORTED_DIALECT',
    ],
    [
      'B-21 $data',
      () => withSchema({ type: 'object', properties: { a: { const: { $data: '1/b' } } }, $data: true }),
      'DATA_REF_FORBIDDEN',
    ],
    [
      'B-22 __proto__ in a policy',
      () => contractText({ policy: JSON.parse('{"__proto__":{"x":1}}') }),
      'FORBIDDEN_KEY',
    ],
    [
      'B-23 duplicate keys',
      () =>
        '{"apiVersion":"charter/v1","kind":"DataContract","schema":{"type":"string"},"schema":{"type":"integer"}}',
      'DUPLICATE_KEY',
    ],
    [
      'B-24 a lone surrogate',
      () => withSchema({ type: 'string', description: 'x' }).replace('"x"', '"\\ud800"'),
      'INVALID_STRING',
    ],
    [
      'B-25 a number out of range',
      () => withSchema({ type: 'number', maximum: 1 }).replace('"maximum": 1', '"maximum": 1e400'),
      'NUMBER_OUT_OF_RANGE',
    ],
    [
      'B-25 an integer beyond 2^53',
      () => withSchema({ type: 'number', maximum: 1 }).replace('"maximum": 1', '"maximum": 9007199254740993'),
      'NUMBER_OUT_OF_RANGE',
    ],
    [
      'B-19 an unknown keyword',
      () => withSchema({ type: 'object', requried: ['a'] }),
      'SCHEMA_UNKNOWN_KEYWORD',
    ],
    ['a document that is not JSON', () => '{"apiVersion": ', 'INVALID_JSON'],
    [
      'a document without a schema',
      () => JSON.stringify({ apiVersion: 'charter/v1', kind: 'DataContract' }),
      'CONTRACT_INVALID',
    ],
  ])('%s is refused with its own code', async (_label, text, code) => {
    expect(await refusedWith(text())).toContain(code);
  });

  it('B-04 a remote $ref is refused and nothing connects to the address', async () => {
    const codes = await refusedWith(withSchema({ $ref: `http://127.0.0.1:${listener.port}/x.json` }));
    expect(codes).toContain('REMOTE_REF_FORBIDDEN');
    const nestedRef = await refusedWith(
      withSchema({ type: 'object', properties: { a: { $ref: `https://127.0.0.1:${listener.port}/y#/a` } } }),
    );
    expect(nestedRef).toContain('REMOTE_REF_FORBIDDEN');
    await new Promise((r) => setTimeout(r, 100));
    expect(listener.connections()).toBe(0);
  });

  it('B-02 a request body over the server limit is answered 413 before parsing', async () => {
    const small = await startTestApp({ config: { bodyLimitBytes: 64 * 1024 }, databaseUrl: t.databaseUrl });
    try {
      const response = await small.app.inject({
        method: 'POST',
        url: '/graphql',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ query: '{ __typename }', padding: 'x'.repeat(100 * 1024) }),
      });
      expect(response.statusCode).toBe(413);
      expect(JSON.stringify(response.json())).toContain('PAYLOAD_TOO_LARGE');
    } finally {
      await small.close();
    }
  });

  it.each([
    ['B-07 a self-recursive schema', { type: 'object', properties: { child: { $ref: '#' } } }],
    [
      'B-08 mutually recursive definitions through anyOf',
      {
        $defs: {
          a: { anyOf: [{ type: 'null' }, { type: 'object', properties: { b: { $ref: '#/$defs/b' } } }] },
          b: { type: 'object', properties: { a: { $ref: '#/$defs/a' } } },
        },
        $ref: '#/$defs/a',
      },
    ],
    [
      'B-10 pointer escapes',
      {
        $defs: { 'a/b': { type: 'string' }, 'c~d': { type: 'integer' }, 'e%f': { type: 'boolean' } },
        type: 'object',
        properties: {
          x: { $ref: '#/$defs/a~1b' },
          y: { $ref: '#/$defs/c~0d' },
          z: { $ref: '#/$defs/e%25f' },
        },
      },
    ],
    [
      'B-11 a catastrophic pattern (run in linear time by RE2)',
      { type: 'string', pattern: '^(a+)+$', maxLength: 200000 },
    ],
    [
      'B-22 __proto__ as a property name',
      {
        type: 'object',
        properties: JSON.parse('{"__proto__":{"type":"string"},"constructor":{"type":"integer"}}'),
      },
    ],
  ])('%s is accepted', async (_label, schema) => {
    await createProduct(t, 'accepted', `p${Math.random().toString(36).slice(2, 8)}`).catch(() => undefined);
    const product = `hostile.ok-${Math.random().toString(36).slice(2, 8)}`;
    await t.gql(
      `mutation($n: String!) { createDataProduct(input: { domain: "hostile", name: $n, owningTeam: "t" }) { id } }`,
      {
        n: product.split('.')[1],
      },
    );
    const result = await publish(t, product, withSchema(schema));
    expect(result.__typename).toBe('ContractVersionPublished');
    expect(({} as Record<string, unknown>).type).toBeUndefined();
  });

  it('B-09 an unresolvable local $ref names the pointer', async () => {
    const result = await publish(
      t,
      'hostile.events',
      withSchema({ type: 'object', properties: { a: { $ref: '#/definitions/missing' } } }),
    );
    expect(result.__typename).toBe('InvalidContract');
    expect(JSON.stringify(result.issues)).toContain('#/definitions/missing');
  });

  it('B-18 an enum narrowed in a later version is never accepted under BACKWARD', async () => {
    await t.gql(
      `mutation { createDataProduct(input: { domain: "hostile", name: "enums", owningTeam: "t" }) { id } }`,
    );
    const wide = closedObject({ c: { enum: ['EUR', 'USD', 'GBP'] } }, ['c']);
    const narrow = closedObject({ c: { enum: ['EUR', 'USD'] } }, ['c']);
    await publish(t, 'hostile.enums', withSchema(wide));
    const result = await publish(t, 'hostile.enums', withSchema(narrow));
    expect(result.__typename).toBe('IncompatibleContract');
  });

  it('B-25 numerically equal documents (1 and 1.0, 0 and -0) share one version and id', async () => {
    await t.gql(
      `mutation { createDataProduct(input: { domain: "hostile", name: "numbers", owningTeam: "t" }) { id } }`,
    );
    const text = withSchema({ type: 'number', maximum: 1, minimum: 0 });
    const first = await publish(t, 'hostile.numbers', text);
    const again = await publish(
      t,
      'hostile.numbers',
      text.replace('"maximum": 1', '"maximum": 1.0').replace('"minimum": 0', '"minimum": -0'),
    );
    expect(again).toMatchObject({
      created: false,
      contractVersion: { id: first.contractVersion.id, version: 1 },
    });
  });

  it('B-26 a false schema is accepted but flagged', async () => {
    await t.gql(
      `mutation { createDataProduct(input: { domain: "hostile", name: "nothing", owningTeam: "t" }) { id } }`,
    );
    const result = await publish(t, 'hostile.nothing', contractText({ schema: false }));
    expect(result.__typename).toBe('ContractVersionPublished');
    expect(result.changes.map((c: { type: string }) => c.type)).toContain('SCHEMA_ACCEPTS_NOTHING');
  });

  it.each([
    ['empty', ''],
    ['10k characters', 'a'.repeat(10_000)],
    ['a path', '../etc'],
    ['a control character', 'bad\u0000name'],
    ['an RTL override', 'abc\u202edef'],
    ['a homoglyph', 'pаyments'],
    ['SQL metacharacters', "x'; DROP TABLE domains; --"],
  ])('B-27 a product name with %s is refused', async (_label, name) => {
    const create = await t.gql(
      `mutation($n: String!) { createDataProduct(input: { domain: "hostile", name: $n, owningTeam: "t" }) { id } }`,
      { n: name },
    );
    expect(firstCode(create)).toBe('INVALID_INPUT');
    const before = await registryCounts(t.databaseUrl);
    const published = await t.gql(
      `mutation($p: String!, $c: String!) { publishContractVersion(product: $p, contract: $c) { __typename } }`,
      {
        p: `hostile.${name}`,
        c: JSON.stringify(contractDocument()),
      },
    );
    expect(firstCode(published)).toBe('INVALID_INPUT');
    expect(await registryCounts(t.databaseUrl)).toEqual(before);
  });
});
