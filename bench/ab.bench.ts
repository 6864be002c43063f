/**
 * npm run bench:ab -- <build A> <build B> [health|byid|read|publish] [rounds] — two builds of the
 * service (each a copy of `dist/` after `npm run build:bench`, kept inside the checkout so
 * node_modules resolves), side by side, loaded in alternating rounds: throughput and each server's
 * CPU per request, and the median A/B ratio. For judging a change on this machine, whose speed
 * drifts too much for two separate runs. Reads share one database in 2 s rounds (bench-kit's
 * interleave); `publish` gives each build a database of its own (their migrations may differ) and
 * alternates bursts of bench:registry's publishes, after the same untimed warm-up on each.
 * AB_ARGV_A: extra node flags for A only (e.g. `--max-semi-space-size=64`).
 */
import { join, resolve } from 'node:path';
import {
  benchDatabase,
  cpuMeter,
  type Database,
  contractReadTarget,
  cpuText,
  getTarget,
  interleave,
  median,
  type LoadResult,
  type LoadTarget,
  registerOneSchema,
  schemaByIdTarget,
  type Served,
  serveScript,
} from './support/bench-kit';
import { createBenchProducts, PRODUCTS, publishBurst } from './support/publish-load';

const ADMIN_KEY = `chk_live_00000000benchab1_${'D'.repeat(43)}`;
const BASIC = `Basic ${Buffer.from(`bench:${ADMIN_KEY}`).toString('base64')}`;

function start(build: string, env: Record<string, string>, execArgv: string[]): Promise<Served> {
  return serveScript(join(resolve(build), 'bench', 'support', 'charter-server.js'), env, execArgv);
}

function target(kind: string, served: Served, id: number): LoadTarget {
  if (kind === 'health') return getTarget(served, '/health/live');
  if (kind === 'byid') return schemaByIdTarget(served, id, BASIC);
  return contractReadTarget(served, 'bench.orders', BASIC);
}

async function main(): Promise<void> {
  const [buildA, buildB, kind = 'byid', rounds = '10'] = process.argv.slice(2);
  if (buildA === undefined || buildB === undefined || !['health', 'byid', 'read', 'publish'].includes(kind)) {
    console.error('usage: npm run bench:ab -- <build A> <build B> [health|byid|read|publish] [rounds]');
    process.exitCode = 2;
    return;
  }
  if (kind === 'publish') {
    await comparePublishes(buildA, buildB, Number(rounds));
    return;
  }
  const database = await benchDatabase();
  const env = { BENCH_DATABASE_URL: database.url, BENCH_ADMIN_KEY: ADMIN_KEY };
  const a = await start(buildA, env, process.env.AB_ARGV_A?.split(' ').filter(Boolean) ?? []);
  const b = await start(buildB, env, []);
  try {
    const id = await registerOneSchema(a.url, BASIC, {
      type: 'object',
      properties: { id: { type: 'string' } },
    });
    const compared = await interleave(target(kind, a, id), target(kind, b, id), Number(rounds));
    const line = (r: LoadResult) =>
      `${r.requestsPerSecond.toFixed(0)} req/s, CPU ${cpuText(r)} us/request, non-2xx ${String(r.non2xx)}`;
    console.log(`${kind}: A ${line(compared.target)} | B ${line(compared.baseline)}`);
    console.log(
      `A/B ${compared.ratio.toFixed(3)} (median of ${rounds} rounds: ${compared.ratios.map((r) => r.toFixed(2)).join(' ')})`,
    );
  } finally {
    a.child.disconnect();
    b.child.disconnect();
    await new Promise((done) => setTimeout(done, 1000));
    await database.drop();
  }
}

const PUBLISH_WARM_UP = 30 * PRODUCTS;
const PUBLISH_BURST = 5 * PRODUCTS;

interface PublishSide {
  served: Served;
  database: Database;
  next: number;
  rates: number[];
  cpuMs: number[];
  databaseCpuMs: number[];
}

async function publishSide(build: string, suffix: string, execArgv: string[]): Promise<PublishSide> {
  const database = await benchDatabase(suffix);
  const served = await start(
    build,
    { BENCH_DATABASE_URL: database.url, BENCH_ADMIN_KEY: ADMIN_KEY },
    execArgv,
  );
  await createBenchProducts(served.url, ADMIN_KEY);
  return { served, database, next: 0, rates: [], cpuMs: [], databaseCpuMs: [] };
}

/** One burst on a side: publishes per second, and its service's and its backends' CPU per publish. */
async function burst(side: PublishSide, count: number): Promise<void> {
  const meter = await cpuMeter(side.database.url, side.served.child.pid ?? 0);
  const { published, seconds } = await publishBurst(side.served.url, ADMIN_KEY, side.next, count);
  const cpu = await meter();
  side.next += count;
  side.rates.push(published / seconds);
  side.cpuMs.push((cpu.service * 1000) / published);
  side.databaseCpuMs.push((cpu.postgres * 1000) / published);
}

async function comparePublishes(buildA: string, buildB: string, rounds: number): Promise<void> {
  const a = await publishSide(buildA, '_a', process.env.AB_ARGV_A?.split(' ').filter(Boolean) ?? []);
  const b = await publishSide(buildB, '_b', []);
  try {
    for (const side of [a, b]) await publishBurst(side.served.url, ADMIN_KEY, 0, PUBLISH_WARM_UP);
    a.next = b.next = PUBLISH_WARM_UP;
    const ratios: number[] = [];
    for (let round = 0; round < rounds; round += 1) {
      const order = round % 2 === 0 ? [a, b] : [b, a];
      for (const side of order) await burst(side, PUBLISH_BURST);
      ratios.push((a.rates[round] ?? 0) / (b.rates[round] ?? 1));
    }
    const line = (side: PublishSide) =>
      `${median(side.rates).toFixed(0)} publishes/s, CPU per publish: service ${median(side.cpuMs).toFixed(2)} ms, PostgreSQL ${median(side.databaseCpuMs).toFixed(2)} ms`;
    console.log(`publish (bursts of ${String(PUBLISH_BURST)}): A ${line(a)} | B ${line(b)}`);
    console.log(
      `A/B ${median(ratios).toFixed(3)} (median of ${String(rounds)} rounds: ${ratios.map((r) => r.toFixed(2)).join(' ')})`,
    );
  } finally {
    for (const side of [a, b]) side.served.child.disconnect();
    await new Promise((done) => setTimeout(done, 1000));
    for (const side of [a, b]) await side.database.drop();
  }
}

void main();
