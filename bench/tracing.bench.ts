/**
 * npm run bench:tracing — what tracing costs per request: the same reads against two servers on one
 * database, one with tracing off and one exporting every span (sample ratio 1) to a loopback
 * OTLP/HTTP sink in this process, measured alternately (off, on, off, on) so drift hits both.
 * Besides throughput it reports the server process's own CPU time per request (from /proc, the
 * export of the batch included), which a machine shared with other work disturbs far less.
 */
import autocannon from 'autocannon';
import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { benchDatabase, processCpuSeconds, serve } from './support/bench-kit';

const ADMIN_KEY = `chk_live_0000000000bench0_${'B'.repeat(43)}`;
const CONNECTIONS = 20;
const REQUESTS = 4000;
/** Longer than the batch span processor's 5 s schedule, so the export of a run is counted in it. */
const SETTLE_MS = 6000;

interface Run {
  requestsPerSecond: number;
  cpuMsPerThousand: number;
  non2xx: number;
}

async function measure(pid: number | undefined, options: autocannon.Options): Promise<Run> {
  if (pid === undefined) throw new Error('the server process has no pid');
  await autocannon({ ...options, duration: 1 });
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const before = processCpuSeconds(pid);
  const result = await autocannon({ ...options, amount: REQUESTS });
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  return {
    requestsPerSecond: result.requests.average,
    cpuMsPerThousand: ((processCpuSeconds(pid) - before) * 1e6) / REQUESTS,
    non2xx: result.non2xx + result.errors,
  };
}

async function gql(url: string, query: string, variables: Record<string, unknown> = {}): Promise<void> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
}

/** Accepts and drops OTLP exports; counts the bytes so the run shows spans really left. */
async function otlpSink(): Promise<{ url: string; bytes: () => number; close: () => void }> {
  let bytes = 0;
  const server = createServer((request, response) => {
    request.on('data', (chunk: Buffer) => (bytes += chunk.length));
    request.on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bytes: () => bytes,
    close: () => server.close(),
  };
}

const line = (name: string, r: Run): string =>
  `${name}: ${r.requestsPerSecond.toFixed(0)} req/s, server CPU ${r.cpuMsPerThousand.toFixed(0)} ms per 1000 requests, failed ${r.non2xx}`;

const mean = (runs: Run[], key: keyof Run): number => runs.reduce((sum, r) => sum + r[key], 0) / runs.length;

async function main(): Promise<void> {
  const database = await benchDatabase();
  const sink = await otlpSink();
  const env = { BENCH_DATABASE_URL: database.url, BENCH_ADMIN_KEY: ADMIN_KEY };
  const off = await serve('charter-server', env);
  const on = await serve('charter-server', {
    ...env,
    BENCH_OTLP_ENDPOINT: sink.url,
  });
  try {
    await gql(off.url, `mutation { createDomain(input: { name: "bench", owningTeam: "t" }) { id } }`);
    await gql(
      off.url,
      `mutation { createDataProduct(input: { domain: "bench", name: "orders", owningTeam: "t" }) { id } }`,
    );
    const contract = JSON.stringify({
      apiVersion: 'charter/v1',
      kind: 'DataContract',
      metadata: { owner: 'team-bench' },
      schema: { type: 'object', properties: { id: { type: 'string' } }, additionalProperties: false },
    });
    await gql(
      off.url,
      `mutation($c: String!) { publishContractVersion(product: "bench.orders", contract: $c) { __typename } }`,
      {
        c: contract,
      },
    );
    const graphql = (url: string) => ({
      url: `${url}/graphql`,
      connections: CONNECTIONS,
      method: 'POST' as const,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
      body: JSON.stringify({
        query: '{ contractVersion(product: "bench.orders") { id version contentHash } }',
      }),
    });
    const ready = (url: string) => ({ url: `${url}/health/ready`, connections: CONNECTIONS });
    for (const [name, options] of [
      ['contractVersion(latest) over GraphQL', graphql],
      ['GET /health/ready (one database query)', ready],
    ] as const) {
      const offRuns: Run[] = [];
      const onRuns: Run[] = [];
      for (let round = 0; round < 2; round += 1) {
        offRuns.push(await measure(off.child.pid, options(off.url)));
        onRuns.push(await measure(on.child.pid, options(on.url)));
      }
      for (const r of offRuns) console.log(line(`${name}, tracing off`, r));
      for (const r of onRuns) console.log(line(`${name}, tracing on `, r));
      console.log(
        `${name}: tracing on / off: throughput ${(mean(onRuns, 'requestsPerSecond') / mean(offRuns, 'requestsPerSecond')).toFixed(2)}x, server CPU per request ${(mean(onRuns, 'cpuMsPerThousand') / mean(offRuns, 'cpuMsPerThousand')).toFixed(2)}x`,
      );
    }
    console.log(`OTLP bytes received by the sink: ${sink.bytes()}`);
  } finally {
    off.child.disconnect();
    on.child.disconnect();
    await new Promise((r) => setTimeout(r, 1000));
    sink.close();
    await database.drop();
  }
}

void main();
