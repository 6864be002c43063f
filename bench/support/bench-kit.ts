import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, chmodSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { withDatabaseName } from '../../src/database/database-url';
import { freePort } from '../../test/support/free-port';

export interface Served {
  url: string;
  child: ChildProcess;
}

/** BENCH_PROFILE_DIR=<dir>: every served child writes a V8 CPU profile there when it exits. */
function profileArgs(): string[] {
  const dir = process.env.BENCH_PROFILE_DIR;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

/**
 * `npm run bench:*` runs the compiled build, as `npm start` does. From TypeScript sources (ts-node),
 * the children would pay for ts-node's REPL import: it loads `domain`, which taxes every EventEmitter
 * and callback of the process, so a bench would measure a slower service than the one that ships.
 */
const COMPILED = extname(__filename) === '.js';

/** Starts a server script (`support/<name>`) in a child process and waits for the URL it reports. */
export function serve(name: string, env: Record<string, string> = {}): Promise<Served> {
  const script = join(__dirname, `${name}${extname(__filename)}`);
  return serveScript(script, env, COMPILED ? [] : ['-r', 'ts-node/register/transpile-only']);
}

/** Starts a compiled or preloaded server script with these node flags; resolves with its URL. */
export function serveScript(
  script: string,
  env: Record<string, string>,
  execArgv: string[],
): Promise<Served> {
  const child = fork(script, [], {
    execArgv: [...execArgv, ...profileArgs()],
    // as `npm start` runs it (graphql-js skips its development-mode checks)
    env: { ...process.env, NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (message: { url: string }) => {
      resolve({ url: message.url, child });
    });
    child.once('exit', (code) => {
      reject(new Error(`${script} exited with ${String(code)}`));
    });
  });
}

/** A JSON request with an Authorization header; anything but a 2xx is an error. */
export async function callJson(
  url: string,
  method: string,
  body: unknown,
  headers: { type: string; authorization: string },
): Promise<unknown> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': headers.type, authorization: headers.authorization },
    body: JSON.stringify(body),
  });
  const answer: unknown = await response.json();
  if (!response.ok) throw new Error(`${method} ${url}: ${String(response.status)} ${JSON.stringify(answer)}`);
  return answer;
}

export interface Database {
  url: string;
  drop(): Promise<void>;
}

/**
 * A fresh database: on BENCH_DATABASE_URL / TEST_DATABASE_URL when set, else an embedded server with
 * fsync on. `suffix` tells apart several of one process.
 */
export async function benchDatabase(suffix = ''): Promise<Database> {
  const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (adminUrl) {
    const name = `charter_bench_${process.pid}${suffix}`;
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    return {
      url: withDatabaseName(adminUrl, name),
      drop: async () => {
        const c = new Client({ connectionString: adminUrl });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'charter-bench-pg-'));
  chmodSync(dir, 0o755);
  const server = await startEmbeddedPostgres({
    dataDir: join(dir, 'pg'),
    port: await freePort(),
    persistent: false,
  });
  return {
    url: server.url,
    drop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface LoadResult {
  requestsPerSecond: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  /** With a server pid: its CPU time (user + system) per request over the measured window, in µs. */
  serverCpuUsPerRequest?: number;
}

/** A bounded autocannon run on loopback: warm-up, then the measured window. */
export async function load(
  options: autocannon.Options,
  seconds = 5,
  serverPid?: number,
): Promise<LoadResult> {
  await autocannon({ ...options, duration: 1 });
  return measure(options, seconds, serverPid);
}

async function measure(
  options: autocannon.Options,
  seconds: number,
  serverPid?: number,
): Promise<LoadResult> {
  const before = serverPid === undefined ? 0 : processCpuSeconds(serverPid);
  const result = await autocannon({ ...options, duration: seconds });
  const cpu =
    serverPid === undefined
      ? undefined
      : ((processCpuSeconds(serverPid) - before) * 1e6) / result.requests.total;
  return {
    requestsPerSecond: result.requests.average,
    p99Ms: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
    ...(cpu !== undefined && { serverCpuUsPerRequest: cpu }),
  };
}

export interface LoadTarget {
  options: autocannon.Options;
  /** the server's pid, for its CPU time per request */
  pid?: number;
}

export interface Interleaved {
  target: LoadResult;
  baseline: LoadResult;
  /** median of the rounds' target/baseline throughput ratios */
  ratio: number;
  ratios: number[];
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/**
 * Many measured slices as one result: throughput, p99 and CPU per request are the slices' medians,
 * errors and non-2xx answers their sums.
 */
function merged(slices: LoadResult[]): LoadResult {
  const cpu = slices.map((slice) => slice.serverCpuUsPerRequest);
  return {
    requestsPerSecond: median(slices.map((slice) => slice.requestsPerSecond)),
    p99Ms: median(slices.map((slice) => slice.p99Ms)),
    errors: slices.reduce((sum, slice) => sum + slice.errors, 0),
    non2xx: slices.reduce((sum, slice) => sum + slice.non2xx, 0),
    ...(cpu.every((value) => value !== undefined) && { serverCpuUsPerRequest: median(cpu) }),
  };
}

/**
 * A target beside its baseline, in alternating slices (A B B A A B ...) rather than one long run
 * each: this machine's speed drifts by up to 2x within minutes, and a ratio of two runs measured a
 * minute apart measures the drift. Both servers stay up; the idle one costs nothing.
 */
export async function interleave(
  target: LoadTarget,
  baseline: LoadTarget,
  rounds = 6,
  seconds = 2,
): Promise<Interleaved> {
  await autocannon({ ...target.options, duration: 1 });
  await autocannon({ ...baseline.options, duration: 1 });
  const targets: LoadResult[] = [];
  const baselines: LoadResult[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const order = round % 2 === 0 ? [target, baseline] : [baseline, target];
    for (const one of order) {
      const slice = await measure(one.options, seconds, one.pid);
      (one === target ? targets : baselines).push(slice);
    }
  }
  const ratios = targets.map((slice, i) => slice.requestsPerSecond / (baselines[i]?.requestsPerSecond ?? 1));
  return { target: merged(targets), baseline: merged(baselines), ratio: median(ratios), ratios };
}

/** CPU seconds (user + system) a local process has used so far, from /proc; 0 once it has exited. */
export function processCpuSeconds(pid: number): number {
  try {
    const fields =
      readFileSync(`/proc/${String(pid)}/stat`, 'utf8')
        .split(') ')[1]
        ?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}
const CLOCK_TICKS = 100;

export interface CpuSplit {
  service: number;
  postgres: number;
  client: number;
}

/**
 * CPU used by the served child, the PostgreSQL backends of one (local) database and this process
 * between start() and the call it returns: how much work a phase costs whatever else the machine runs.
 */
export async function cpuMeter(databaseUrl: string, servicePid: number): Promise<() => Promise<CpuSplit>> {
  const backends = async (): Promise<number[]> => {
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    const rows = await client.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    await client.end();
    return rows.rows.map((row) => row.pid);
  };
  const startBackends = new Map((await backends()).map((pid) => [pid, processCpuSeconds(pid)]));
  const startService = processCpuSeconds(servicePid);
  const startClient = process.cpuUsage();
  return async () => {
    const client = process.cpuUsage(startClient);
    const now = await backends();
    const postgres = now.reduce(
      (sum, pid) => sum + processCpuSeconds(pid) - (startBackends.get(pid) ?? 0),
      0,
    );
    return {
      service: processCpuSeconds(servicePid) - startService,
      postgres,
      client: (client.user + client.system) / 1e6,
    };
  };
}

/** The Confluent REST API's vendor content type. */
export const CONFLUENT_JSON = 'application/vnd.schemaregistry.v1+json';

/** A GET of `path` on a served child at 50 connections, with its pid for CPU per request. */
export function getTarget(served: Served, path = '', headers?: Record<string, string>): LoadTarget {
  return {
    options: { url: `${served.url}${path}`, connections: 50, ...(headers && { headers }) },
    pid: served.child.pid,
  };
}

/** `GET /confluent/schemas/ids/{id}` with the caller's credentials, as a Kafka client asks. */
export function schemaByIdTarget(served: Served, id: number, authorization: string): LoadTarget {
  return getTarget(served, `/confluent/schemas/ids/${String(id)}`, {
    authorization,
    'content-type': CONFLUENT_JSON,
  });
}

/** `contractVersion(product:)` (latest) over GraphQL at 50 connections. */
export function contractReadTarget(served: Served, product: string, authorization?: string): LoadTarget {
  return {
    options: {
      url: `${served.url}/graphql`,
      connections: 50,
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization && { authorization }) },
      body: JSON.stringify({
        query: `{ contractVersion(product: "${product}") { id version contentHash } }`,
      }),
    },
    pid: served.child.pid,
  };
}

/** A result's server CPU per request in µs, for printing. */
export const cpuText = (result: LoadResult): string => (result.serverCpuUsPerRequest ?? 0).toFixed(1);

/** An interleaved comparison's rounds, for printing. */
export const roundsText = (compared: Interleaved): string =>
  `median of ${String(compared.ratios.length)} interleaved 2 s rounds: ${compared.ratios.map((r) => r.toFixed(2)).join(' ')}`;

/**
 * Domain `bench`, product `bench.orders` and one version of it registered through the Confluent
 * API as `bench.orders-value`; returns the schema id.
 */
export async function registerOneSchema(url: string, authorization: string, schema: object): Promise<number> {
  const graphql = (query: string) =>
    callJson(`${url}/graphql`, 'POST', { query }, { type: 'application/json', authorization });
  await graphql('mutation { createDomain(input: { name: "bench", owningTeam: "t" }) { id } }');
  await graphql(
    'mutation { createDataProduct(input: { domain: "bench", name: "orders", owningTeam: "t" }) { id } }',
  );
  const registered = await callJson(
    `${url}/confluent/subjects/bench.orders-value/versions`,
    'POST',
    { schemaType: 'JSON', schema: JSON.stringify(schema) },
    { type: CONFLUENT_JSON, authorization },
  );
  return (registered as { id: number }).id;
}
