import { type DocumentNode } from 'graphql';
import type * as GraphqlJit from 'graphql-jit';
import { contractText } from '../factories/contracts';
import { createProduct, publish, PUBLISH, registryCounts } from '../support/registry';
import { firstCode, startTestApp, type GraphqlResponse, type TestApp } from '../support/test-app';

/**
 * The real graphql-jit, with a count of what Mercurius compiles and of the runs of compiled
 * documents, by document text. Mercurius requires graphql-jit when the app first loads it, so the
 * wrapper must be in place before any import of the service (jest hoists this call).
 */
const compiled = new Map<string, number>();
const compiledRuns = new Map<string, number>();
jest.mock('graphql-jit', () => {
  const actual = jest.requireActual<typeof GraphqlJit>('graphql-jit');
  const bump = (counts: Map<string, number>, text: string): void => {
    counts.set(text, (counts.get(text) ?? 0) + 1);
  };
  return {
    ...actual,
    compileQuery: (...args: Parameters<typeof actual.compileQuery>) => {
      const text = (args[1] as DocumentNode).loc?.source.body ?? '';
      bump(compiled, text);
      const result = actual.compileQuery(...args);
      if (!('query' in result)) return result;
      const query = result.query.bind(result);
      const counted: typeof query = (...runArgs) => {
        bump(compiledRuns, text);
        return query(...runArgs);
      };
      return { ...result, query: counted };
    },
  };
});

const READ = '{ contractVersion(product: "sales.orders") { id version product contentHash state } }';
const BY_STATUS = 'query($s: ProductStatus) { dataProducts(filter: { status: $s }) { nodes { fullName } } }';

/**
 * Mercurius compiles in a setImmediate after the run that reached the count, or 50 ms later if the
 * event loop had no idle time at all; give it that long (most runs compile nothing).
 */
async function compileTurn(text: string, before: number): Promise<void> {
  for (let i = 0; i < 15 && (compiled.get(text) ?? 0) === before; i += 1)
    await new Promise((resolve) => setTimeout(resolve, i === 0 ? 0 : 5));
}

/** Sends `query` `times` times, one after another, with a turn for compilation after each. */
async function runs(
  t: TestApp,
  times: number,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GraphqlResponse[]> {
  const answers: GraphqlResponse[] = [];
  for (let i = 0; i < times; i += 1) {
    const before = compiled.get(query) ?? 0;
    answers.push(await t.gql(query, variables));
    await compileTurn(query, before);
  }
  return answers;
}

describe('GraphQL documents compiled by graphql-jit (GRAPHQL_JIT_MIN_RUNS=3)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ config: { graphqlJitMinRuns: 3 } });
    await createProduct(t, 'sales', 'orders');
    await publish(t, 'sales.orders', contractText());
  });
  afterAll(() => t.close());

  it('compiles a document once it has run three times and answers exactly as before', async () => {
    const answers = await runs(t, 6, READ);
    expect(compiled.get(READ)).toBe(1);
    // runs 1-3 on graphql-js, the compile after the third, runs 4-6 compiled
    expect(compiledRuns.get(READ)).toBe(3);
    expect(answers[0]).toMatchObject({ status: 200, data: { contractVersion: { version: 1 } } });
    for (const answer of answers) expect(answer).toEqual(answers[0]);
  });

  it('refuses bad variables of a compiled document with INVALID_INPUT, as graphql-js does', async () => {
    const good = await runs(t, 4, BY_STATUS, { s: 'active' });
    expect(compiledRuns.get(BY_STATUS)).toBe(1);
    expect(good[3]!).toEqual(good[0]);
    const refusals = await runs(t, 3, BY_STATUS, { s: 'activ' });
    for (const refusal of refusals) {
      expect(refusal.status).toBe(400);
      expect(firstCode(refusal)).toBe('INVALID_INPUT');
      expect(refusal).toEqual(refusals[0]);
    }
    // Mercurius' counted mode (`jit: <n>`) skips graphql-js's variable check on the run that
    // compiles, and graphql-jit words its refusal differently: every run must answer the same.
    const badOnly = 'query($s: ProductStatus) { dataProducts(filter: { status: $s }) { nodes { id } } }';
    const badRuns = await runs(t, 5, badOnly, { s: 'activ' });
    for (const refusal of badRuns) {
      expect(refusal.status).toBe(400);
      expect(firstCode(refusal)).toBe('INVALID_INPUT');
      expect(refusal).toEqual(badRuns[0]);
    }
    const missing = await t.gql('query($n: Int!) { dataProducts(first: $n) { nodes { id } } }', {});
    expect(firstCode(missing)).toBe('INVALID_INPUT');
  });

  it("keeps a resolver's refusal and a union's expected failure the same when compiled", async () => {
    const unknown = '{ contractVersion(product: "sales.nope") { id } }';
    const refusals = await runs(t, 5, unknown);
    expect(compiledRuns.get(unknown)).toBe(2);
    expect(firstCode(refusals[0]!)).toBe('NOT_FOUND');
    for (const refusal of refusals) expect(refusal).toEqual(refusals[0]);

    const before = await registryCounts(t.databaseUrl);
    const invalid = await runs(t, 5, PUBLISH, { product: 'sales.orders', contract: '{"schema": 1}' });
    // the setup's publish was its first run
    expect(compiledRuns.get(PUBLISH)).toBe(3);
    expect(invalid[0]!.data).toMatchObject({ publishContractVersion: { __typename: 'InvalidContract' } });
    for (const answer of invalid) expect(answer).toEqual(invalid[0]);
    expect(await registryCounts(t.databaseUrl)).toEqual(before);
  });

  it('answers string literals that read as JavaScript as data, compiled or not', async () => {
    const hostile = `{ contractVersion(product: "\\"); globalThis.jitProbe = 1; (\\"\`\${globalThis.jitProbe = 2}\`") { id } }`;
    const answers = await runs(t, 5, hostile);
    expect(compiledRuns.get(hostile)).toBe(2);
    expect(['INVALID_INPUT', 'NOT_FOUND']).toContain(firstCode(answers[0]!));
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect((globalThis as { jitProbe?: unknown }).jitProbe).toBeUndefined();
  });
});

describe('GRAPHQL_JIT_MIN_RUNS=0', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ config: { graphqlJitMinRuns: 0 } });
  });
  afterAll(() => t.close());

  it('runs every document on graphql-js', async () => {
    const query = '{ dataProducts(first: 2) { nodes { id } } }';
    const answers = await runs(t, 5, query);
    expect(firstCode(answers[4]!)).toBe('OK');
    expect(compiled.get(query)).toBeUndefined();
  });
});
