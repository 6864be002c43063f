/**
 * npm run bench:ab -- <build A> <build B> [health|byid|read] [rounds] — two builds of the service
 * (each a copy of `dist/` after `npm run build:bench`, kept inside the checkout so node_modules
 * resolves), side by side on one database, loaded in alternating 2 s rounds (bench-kit's
 * interleave): throughput and each server's CPU per request, and the median A/B ratio. For
 * judging a change on this machine, whose speed drifts too much for two separate runs.
 * AB_ARGV_A: extra node flags for A only (e.g. `--max-semi-space-size=64`).
 */
import { join, resolve } from 'node:path';
import {
  benchDatabase,
  contractReadTarget,
  cpuText,
  getTarget,
  interleave,
  type LoadResult,
  type LoadTarget,
  registerOneSchema,
  schemaByIdTarget,
  type Served,
  serveScript,
} from './support/bench-kit';

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
  if (buildA === undefined || buildB === undefined || !['health', 'byid', 'read'].includes(kind)) {
    console.error('usage: npm run bench:ab -- <build A> <build B> [health|byid|read] [rounds]');
    process.exitCode = 2;
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

void main();
