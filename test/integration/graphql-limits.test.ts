import { GraphQLSchemaHost } from '@nestjs/graphql';
import { getIntrospectionQuery, type GraphQLObjectType } from 'graphql';
import { Client } from 'pg';
import { contractText } from '../factories/contracts';
import { createProduct, PUBLISH } from '../support/registry';
import {
  firstCode,
  startTestApp,
  TEST_ADMIN_KEY,
  type GraphqlResponse,
  type TestApp,
} from '../support/test-app';

/** Counts every root resolver call: a refused document must leave it unchanged. */
function spyOnRootResolvers(t: TestApp): { calls: number } {
  const spy = { calls: 0 };
  const schema = t.app.get(GraphQLSchemaHost).schema;
  const roots = [schema.getQueryType(), schema.getMutationType()] as (GraphQLObjectType | null)[];
  for (const type of roots) {
    for (const field of Object.values(type?.getFields() ?? {})) {
      const resolve = field.resolve;
      if (!resolve) continue;
      field.resolve = (...args) => {
        spy.calls += 1;
        return resolve(...args);
      };
    }
  }
  return spy;
}

const detailCode = (response: GraphqlResponse<unknown>): string | undefined =>
  response.errors?.find((e) => e.extensions.details?.[0]?.code)?.extensions.details?.[0]?.code;

const nested = (depth: number): string => `{ me ${'{ a '.repeat(depth - 1)}{ b }${' }'.repeat(depth - 1)} }`;

describe('GraphQL edge limits with the defaults', () => {
  let t: TestApp;
  let spy: { calls: number };
  beforeAll(async () => {
    t = await startTestApp();
    spy = spyOnRootResolvers(t);
  });
  afterAll(() => t.close());

  async function refused(query: string, code: string): Promise<GraphqlResponse<unknown>> {
    const before = spy.calls;
    const response = await t.gql(query);
    expect(response.status).toBe(400);
    expect(firstCode(response)).toBe('INVALID_INPUT');
    expect(detailCode(response)).toBe(code);
    expect(response.data).toBeNull();
    expect(spy.calls).toBe(before);
    return response;
  }

  it('runs ordinary documents, and the spy sees their resolvers', async () => {
    const before = spy.calls;
    const response = await t.gql('{ me { name } domains(first: 100) { nodes { name contacts { name } } } }');
    expect(response.errors).toBeUndefined();
    expect(spy.calls).toBe(before + 2);
  });

  it('serves the standard introspection query while introspection is on', async () => {
    const response = await t.gql(getIntrospectionQuery());
    expect(response.errors).toBeUndefined();
    expect(response.data).toHaveProperty('__schema');
  });

  it('B-34: refuses a document 50 deep', async () => {
    await refused(nested(50), 'MAX_DEPTH');
  });

  it('B-35: counts depth through named, nested and inline fragments and one named __schema', async () => {
    const fragments = Array.from({ length: 11 }, (_, i) =>
      i === 10
        ? `fragment F10 on Principal { name }`
        : `fragment F${i} on Principal { x${i} { ...F${i + 1} } }`,
    ).join('\n');
    await refused(`{ me { ...F0 } }\n${fragments}`, 'MAX_DEPTH');
    await refused(`{ me { ... on Principal ${'{ a '.repeat(10)}{ b }${' }'.repeat(10)} } }`, 'MAX_DEPTH');
    await refused(
      `{ me { ...__schema } } fragment __schema on Principal ${'{ a '.repeat(10)}{ b }${' }'.repeat(10)}`,
      'MAX_DEPTH',
    );
  });

  it('caps introspection nesting too (ofType chains)', async () => {
    await refused(
      `{ __type(name: "Query") ${'{ ofType '.repeat(16)}{ name }${' }'.repeat(16)} }`,
      'MAX_DEPTH',
    );
  });

  it('B-36: 10,000 fragment spreads are refused at the token limit, without a stack overflow', async () => {
    const spreads = Array.from({ length: 10_000 }, () => '...F').join(' ');
    await refused(`{ me { ${spreads} } } fragment F on Principal { name }`, 'MAX_TOKENS');
  });

  it('B-37: refuses 1,000 aliases, and 16 with the default cap of 15', async () => {
    const aliases = (n: number) => Array.from({ length: n }, (_, i) => `a${i}: __typename`).join(' ');
    await refused(`{ ${aliases(1000)} }`, 'MAX_ALIASES');
    await refused(`{ ${aliases(16)} }`, 'MAX_ALIASES');
    const fine = await t.gql(`{ ${aliases(15)} }`);
    expect(fine.errors).toBeUndefined();
  });

  it('refuses more than 10 directives, counted through fragments', async () => {
    const skips = (n: number) => Array.from({ length: n }, () => '@skip(if: false)').join(' ');
    await refused(`{ me { ...F } } fragment F on Principal { name ${skips(11)} }`, 'MAX_DIRECTIVES');
  });

  it('B-40: refuses 100,000 tokens while parsing', async () => {
    await refused(`{ me { ${'name '.repeat(100_000)}} }`, 'MAX_TOKENS');
  });

  it('refuses a document whose pages multiply past the cost cap; variables count as the largest page', async () => {
    const wide = (first: string) =>
      Array.from(
        { length: 15 },
        (_, i) => `p${i}: dataProducts(first: ${first}) { nodes { id name fullName domain status tags } }`,
      ).join(' ');
    await refused(`{ ${wide('100')} }`, 'MAX_COST');
    await refused(`query($n: Int) { ${wide('$n')} }`, 'MAX_COST');
    const fine = await t.gql(`{ ${wide('5')} }`);
    expect(fine.errors).toBeUndefined();
  });

  it('B-41: first: 99999999 is refused by the cost cap before any resolver', async () => {
    await refused('{ dataProducts(first: 99999999) { nodes { id name } } }', 'MAX_COST');
  });

  it('B-38: refuses an array of 100 operations (batching off)', async () => {
    const before = spy.calls;
    const response = await t.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` },
      payload: Array.from({ length: 100 }, () => ({ query: '{ me { name } }' })),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json<GraphqlResponse>().errors?.[0]?.extensions.code).toBe('INVALID_INPUT');
    expect(spy.calls).toBe(before);
  });

  it('B-42: refuses a simple cross-site POST (text/plain) without preflight headers', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'text/plain' },
      payload: JSON.stringify({ query: '{ me { name } }' }),
    });
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
  });
});

describe('GraphQL with introspection off', () => {
  let t: TestApp;
  let spy: { calls: number };
  beforeAll(async () => {
    t = await startTestApp({ config: { graphqlIntrospection: false } });
    spy = spyOnRootResolvers(t);
  });
  afterAll(() => t.close());

  it('B-39: refuses introspection, and errors carry no "Did you mean" suggestions', async () => {
    const before = spy.calls;
    const introspection = await t.gql('{ __schema { queryType { name } } }');
    expect(firstCode(introspection)).toBe('INVALID_INPUT');
    const typo = await t.gql('{ me { nme } domainz { nodes { name } } }');
    expect(typo.errors?.length).toBeGreaterThan(0);
    expect(JSON.stringify(typo.errors)).not.toMatch(/did you mean/i);
    const badEnum = await t.gql(
      'query($s: ProductStatus) { dataProducts(filter: { status: $s }) { nodes { id } } }',
      {
        s: 'activ',
      },
    );
    expect(firstCode(badEnum)).toBe('INVALID_INPUT');
    expect(JSON.stringify(badEnum.errors)).not.toMatch(/did you mean/i);
    expect(spy.calls).toBe(before);
  });
});

describe('the request deadline', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ config: { requestTimeoutMs: 500 } });
    await createProduct(t, 'sales', 'orders');
  });
  afterAll(() => t.close());

  it('G-05: answers TIMEOUT and cancels the query still waiting in the database', async () => {
    const blocker = new Client({ connectionString: t.databaseUrl });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query("SELECT 1 FROM data_products WHERE name = 'orders' FOR UPDATE");
      const contract = contractText();
      const started = Date.now();
      const response = await t.gql(PUBLISH, { product: 'sales.orders', contract });
      expect(firstCode(response)).toBe('TIMEOUT');
      expect(Date.now() - started).toBeLessThan(5_000);
      // The answer leaves at the deadline; the cancel request travels beside it, so while the
      // blocker still holds the lock, the waiting query must be gone within moments.
      const waitingOnLock = async (): Promise<number> =>
        (
          await blocker.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database()
               AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'`,
          )
        ).rows[0]?.n ?? -1;
      const cancelBy = Date.now() + 2_000;
      let waiting = await waitingOnLock();
      while (waiting !== 0 && Date.now() < cancelBy) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        waiting = await waitingOnLock();
      }
      expect(waiting).toBe(0);
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
    const after = await t.gql('{ me { name } }');
    expect(after.errors).toBeUndefined();
  });

  it('G-05: each request gets its own full budget, whatever the requests around it do', async () => {
    const blocker = new Client({ connectionString: t.databaseUrl });
    await blocker.connect();
    const timed = async (query: string, variables?: Record<string, unknown>) => {
      const started = Date.now();
      const response = await t.gql(query, variables);
      return { code: firstCode(response), errors: response.errors, ms: Date.now() - started };
    };
    try {
      await blocker.query('BEGIN');
      await blocker.query("SELECT 1 FROM data_products WHERE name = 'orders' FOR UPDATE");
      const first = timed(PUBLISH, { product: 'sales.orders', contract: contractText() });
      await new Promise((resolve) => setTimeout(resolve, 250));
      // Started half a budget later: it must neither expire with the first nor be forgotten.
      const second = timed(PUBLISH, { product: 'sales.orders', contract: contractText() });
      // One that finishes in between must not disturb either deadline.
      const quick = await timed('{ me { name } }');
      expect(quick.errors).toBeUndefined();
      const [a, b] = await Promise.all([first, second]);
      expect([a.code, b.code]).toEqual(['TIMEOUT', 'TIMEOUT']);
      expect(a.ms).toBeGreaterThanOrEqual(450);
      expect(b.ms).toBeGreaterThanOrEqual(450);
      expect(a.ms).toBeLessThan(3_000);
      expect(b.ms).toBeLessThan(3_000);
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
  });
});
