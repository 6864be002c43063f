/**
 * npm run bench:registry — publish throughput and read latency of the registry, in one run:
 *  1. publishes per second across 100 products (each a full publish: validation, compatibility
 *     check under the row lock, durable commit), driven over HTTP with 20 in flight;
 *  2. contractVersion(latest) over GraphQL at 50 connections, beside a bare Fastify
 *     hello-world measured in the same run, and the ratio.
 * `-- --read-only` skips phase 1 (one publish gives the read something to serve);
 * `-- --publish-only` skips phase 2 (with BENCH_PROFILE_DIR, a profile of publishing alone).
 */
import { join } from 'node:path';
import { benchDatabase, cpuMeter, load, serve } from './support/bench-kit';

const ADMIN_KEY = `chk_live_0000000000bench0_${'B'.repeat(43)}`;
const PRODUCTS = 100;
const PUBLISHES_PER_PRODUCT = 10;
const IN_FLIGHT = 20;
const READ_ONLY = process.argv.includes('--read-only');
const PUBLISH_ONLY = process.argv.includes('--publish-only');

type GraphqlData = Record<string, { __typename?: string } | undefined>;

async function gql(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphqlData> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: GraphqlData; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data ?? {};
}

function contract(product: number, revision: number): string {
  return JSON.stringify({
    apiVersion: 'charter/v1',
    kind: 'DataContract',
    metadata: { owner: 'team-bench' },
    schema: {
      type: 'object',
      additionalProperties: false,
      description: `product ${product} revision ${revision}`,
      required: ['id', 'amount'],
      properties: {
        id: { type: 'string', format: 'uuid' },
        amount: { type: 'number', minimum: 0 },
        currency: { enum: ['EUR', 'USD', 'GBP'] },
        email: { type: 'string', format: 'email', maxLength: 254, 'x-charter': { tags: ['pii:email'] } },
        ...Object.fromEntries(
          Array.from({ length: 20 }, (_, i) => [`field_${i}`, { type: 'string', maxLength: 100 }]),
        ),
      },
    },
  });
}

async function runPool(jobs: (() => Promise<void>)[], width: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      for (let job = jobs[next++]; job; job = jobs[next++]) await job();
    }),
  );
}

async function main(): Promise<void> {
  const database = await benchDatabase();
  const charter = await serve(join(__dirname, 'support', 'charter-server.ts'), {
    BENCH_DATABASE_URL: database.url,
    BENCH_ADMIN_KEY: ADMIN_KEY,
  });
  try {
    await gql(charter.url, `mutation { createDomain(input: { name: "bench", owningTeam: "t" }) { id } }`);
    for (let p = 0; p < PRODUCTS; p += 1) {
      await gql(
        charter.url,
        `mutation($n: String!) { createDataProduct(input: { domain: "bench", name: $n, owningTeam: "t" }) { id } }`,
        { n: `p${p}` },
      );
    }
    const publish = `mutation($p: String!, $c: String!) { publishContractVersion(product: $p, contract: $c) { __typename } }`;
    const jobs = Array.from({ length: PRODUCTS * PUBLISHES_PER_PRODUCT }, (_, i) => async () => {
      const product = i % PRODUCTS;
      const result = await gql(charter.url, publish, {
        p: `bench.p${product}`,
        c: contract(product, Math.floor(i / PRODUCTS)),
      });
      if (result.publishContractVersion?.__typename !== 'ContractVersionPublished')
        throw new Error('a publish was refused');
    });
    if (READ_ONLY) {
      await jobs[7]?.();
    } else {
      const meter = await cpuMeter(database.url, charter.child.pid ?? 0);
      const started = performance.now();
      await runPool(jobs, IN_FLIGHT);
      const seconds = (performance.now() - started) / 1000;
      const cpu = await meter();
      const perPublish = (cpuSeconds: number): string => ((cpuSeconds * 1000) / jobs.length).toFixed(2);
      console.log(
        `publishes: ${jobs.length} across ${PRODUCTS} products in ${seconds.toFixed(2)} s = ${(jobs.length / seconds).toFixed(0)}/s (goal >= 300/s)`,
      );
      console.log(
        `  CPU per publish: service ${perPublish(cpu.service)} ms, PostgreSQL backends ${perPublish(cpu.postgres)} ms, bench client ${perPublish(cpu.client)} ms`,
      );
    }

    if (PUBLISH_ONLY) return;
    const read = await load({
      url: `${charter.url}/graphql`,
      connections: 50,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
      body: JSON.stringify({ query: '{ contractVersion(product: "bench.p7") { id version contentHash } }' }),
    });
    const hello = await serve(join(__dirname, 'support', 'hello-server.ts'));
    const ceiling = await load({ url: hello.url, connections: 50 });
    hello.child.disconnect();
    console.log(
      `contractVersion(latest) over GraphQL, 50 connections: ${read.requestsPerSecond.toFixed(0)} req/s, p99 ${read.p99Ms} ms, errors ${read.errors}, non-2xx ${read.non2xx}`,
    );
    console.log(
      `bare Fastify hello-world, 50 connections:           ${ceiling.requestsPerSecond.toFixed(0)} req/s, p99 ${ceiling.p99Ms} ms`,
    );
    console.log(
      `ratio: ${(read.requestsPerSecond / ceiling.requestsPerSecond).toFixed(2)}x of bare Fastify (goal >= 0.3x)`,
    );
  } finally {
    charter.child.disconnect();
    await new Promise((r) => setTimeout(r, 500));
    await database.drop();
  }
}

void main();
