/**
 * npm run bench:registry — publish throughput and read latency of the registry, in one run:
 *  1. publishes per second across 100 products (each a full publish: validation, compatibility
 *     check under the row lock, durable commit), driven by autocannon over HTTP with 20 in flight,
 *     after an untimed warm-up of 30 publishes per product (V8's optimizing compiler is still at
 *     work on the publish path for the first thousand or so);
 *  2. contractVersion(latest) over GraphQL at 50 connections, beside a bare Fastify
 *     hello-world measured in the same run (interleaved 2 s rounds), and the ratio;
 *  3. the framework's floor: the same query on Nest + Mercurius answering a fixed object, beside the
 *     same bare Fastify (what a read could reach here with no work of Charter's at all).
 * Runs the compiled build, as `npm start` does.
 * `-- --read-only` skips phase 1 (one publish gives the read something to serve);
 * `-- --publish-only` skips phase 2 (with BENCH_PROFILE_DIR, a profile of publishing alone).
 * `-- --no-audit` runs the service with auditing off (its audit chain lock included), to show what
 * the audit log costs a publish; never a figure against the goal.
 */
import {
  benchDatabase,
  contractReadTarget,
  cpuMeter,
  cpuText,
  getTarget,
  interleave,
  roundsText,
  serve,
  type Served,
} from './support/bench-kit';
import { createBenchProducts, PRODUCTS, publishBurst, publishOne } from './support/publish-load';

const ADMIN_KEY = `chk_live_0000000000bench0_${'B'.repeat(43)}`;
const PUBLISHES_PER_PRODUCT = 10;
/**
 * 30 revisions of every product before the measured run. With `--trace-opt`, V8 was still
 * optimizing functions of the publish path in the measured run after a warm-up of 200 (178 of them,
 * 1.1 s of compiler time) and of 1,000 (144, 0.7 s); after 3,000, 36 (0.1 s).
 */
const WARM_UP_PUBLISHES = 30 * PRODUCTS;
const READ_ONLY = process.argv.includes('--read-only');
const PUBLISH_ONLY = process.argv.includes('--publish-only');
const NO_AUDIT = process.argv.includes('--no-audit');
/** The product whose latest version the read phase asks for (publish 7, the read-only run's one, is to it). */
const READ_PRODUCT = 'bench.p7';

/** `contractVersion(latest)` against bare Fastify: the figure against the goal. */
async function measureRead(charter: Served, hello: Served): Promise<void> {
  const compared = await interleave(
    contractReadTarget(charter, READ_PRODUCT, `Bearer ${ADMIN_KEY}`),
    getTarget(hello),
  );
  const { target: read, baseline: ceiling } = compared;
  console.log(
    `contractVersion(latest) over GraphQL, 50 connections: ${read.requestsPerSecond.toFixed(0)} req/s, p99 ${read.p99Ms} ms, errors ${read.errors}, non-2xx ${read.non2xx}`,
  );
  console.log(
    `bare Fastify hello-world, 50 connections:           ${ceiling.requestsPerSecond.toFixed(0)} req/s, p99 ${ceiling.p99Ms} ms`,
  );
  // three decimals: a median of 0.295 and one of 0.304 both read 0.30 at two
  const verdict = compared.ratio >= 0.3 ? 'met' : 'missed';
  console.log(
    `ratio: ${compared.ratio.toFixed(3)}x of bare Fastify (goal >= 0.3x ${verdict}; ${roundsText(compared)})`,
  );
  console.log(
    `server CPU per request: contractVersion(latest) ${cpuText(read)} us, bare Fastify ${cpuText(ceiling)} us`,
  );
}

/**
 * The same query on a Nest + Mercurius server answering a fixed object (support/trivial-graphql-server):
 * what the framework alone allows on this machine, beside the same bare Fastify. Context, not a goal.
 */
async function measureFrameworkFloor(hello: Served): Promise<void> {
  const trivial = await serve('trivial-graphql-server');
  try {
    const compared = await interleave(contractReadTarget(trivial, READ_PRODUCT), getTarget(hello));
    const { target: floor, baseline: ceiling } = compared;
    console.log(
      `framework floor, Nest + Mercurius answering a fixed object: ${floor.requestsPerSecond.toFixed(0)} req/s, ${compared.ratio.toFixed(3)}x of bare Fastify (${roundsText(compared)}); server CPU per request ${cpuText(floor)} us, bare Fastify ${cpuText(ceiling)} us; non-2xx ${String(floor.non2xx)}`,
    );
  } finally {
    trivial.child.disconnect();
  }
}

async function main(): Promise<void> {
  const database = await benchDatabase();
  const charter = await serve('charter-server', {
    BENCH_DATABASE_URL: database.url,
    BENCH_ADMIN_KEY: ADMIN_KEY,
    ...(NO_AUDIT && { BENCH_NO_AUDIT: '1' }),
  });
  try {
    await createBenchProducts(charter.url, ADMIN_KEY);
    if (READ_ONLY) {
      await publishOne(charter.url, ADMIN_KEY, 7);
    } else {
      // Untimed first: the service's code paths get compiled by V8 before the measured run.
      const warm = await publishBurst(charter.url, ADMIN_KEY, 0, WARM_UP_PUBLISHES);
      console.log(
        `warm-up: ${String(WARM_UP_PUBLISHES)} publishes at ${(WARM_UP_PUBLISHES / warm.seconds).toFixed(0)}/s (not counted)`,
      );
      const meter = await cpuMeter(database.url, charter.child.pid ?? 0);
      const measured = await publishBurst(
        charter.url,
        ADMIN_KEY,
        WARM_UP_PUBLISHES,
        PRODUCTS * PUBLISHES_PER_PRODUCT,
      );
      const cpu = await meter();
      const { published, seconds } = measured;
      const perPublish = (cpuSeconds: number): string => ((cpuSeconds * 1000) / published).toFixed(2);
      console.log(
        `publishes: ${String(published)} across ${String(PRODUCTS)} products in ${seconds.toFixed(2)} s = ${(published / seconds).toFixed(0)}/s ${NO_AUDIT ? '(auditing off: not a figure against the goal)' : `(goal >= 300/s ${published / seconds >= 300 ? 'met' : 'missed'})`}`,
      );
      console.log(
        `  CPU per publish: service ${perPublish(cpu.service)} ms, PostgreSQL backends ${perPublish(cpu.postgres)} ms, bench client ${perPublish(cpu.client)} ms`,
      );
    }

    if (PUBLISH_ONLY) return;
    const hello = await serve('hello-server');
    try {
      await measureRead(charter, hello);
      await measureFrameworkFloor(hello);
    } finally {
      hello.child.disconnect();
    }
  } finally {
    charter.child.disconnect();
    await new Promise((r) => setTimeout(r, 500));
    await database.drop();
  }
}

void main();
