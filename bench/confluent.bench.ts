/**
 * npm run bench:confluent — `GET /confluent/schemas/ids/{id}` (what every consumer calls on a cache
 * miss) at 50 connections with HTTP Basic credentials, beside a bare Fastify hello-world measured
 * in the same run (interleaved 2 s rounds), and the ratio; plus the service's own /health/live as the
 * floor of its pipeline, and each server's CPU time per request. Loopback only. Runs the compiled
 * build, as `npm start` does.
 */
import {
  benchDatabase,
  cpuText,
  getTarget,
  interleave,
  load,
  registerOneSchema,
  roundsText,
  schemaByIdTarget,
  serve,
} from './support/bench-kit';

const ADMIN_KEY = `chk_live_000000000bench01_${'C'.repeat(43)}`;
const BASIC = `Basic ${Buffer.from(`bench:${ADMIN_KEY}`).toString('base64')}`;
const SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Order',
  type: 'object',
  properties: {
    id: { type: 'string' },
    amount: { type: 'number' },
    email: { type: 'string', 'x-charter': { tags: ['pii:email'] } },
  },
  required: ['id'],
  additionalProperties: false,
};

async function main(): Promise<void> {
  const database = await benchDatabase();
  const charter = await serve('charter-server', {
    BENCH_DATABASE_URL: database.url,
    BENCH_ADMIN_KEY: ADMIN_KEY,
  });
  try {
    const id = await registerOneSchema(charter.url, BASIC, SCHEMA);
    const hello = await serve('hello-server');
    const compared = await interleave(schemaByIdTarget(charter, id, BASIC), getTarget(hello));
    hello.child.disconnect();
    const { target: byId, baseline: ceiling } = compared;
    // The same service's cheapest route (public, no database): what its HTTP pipeline costs alone.
    const health = getTarget(charter, '/health/live');
    const floor = await load(health.options, 3, health.pid);
    console.log(
      `GET /confluent/schemas/ids/${id}, 50 connections: ${byId.requestsPerSecond.toFixed(0)} req/s, p99 ${byId.p99Ms} ms, errors ${byId.errors}, non-2xx ${byId.non2xx}`,
    );
    console.log(
      `bare Fastify hello-world, 50 connections:    ${ceiling.requestsPerSecond.toFixed(0)} req/s, p99 ${ceiling.p99Ms} ms`,
    );
    console.log(
      `ratio: ${compared.ratio.toFixed(2)}x of bare Fastify (goal >= 0.5x; ${roundsText(compared)})`,
    );
    console.log(
      `GET /health/live (same service, after), 50 connections: ${floor.requestsPerSecond.toFixed(0)} req/s, p99 ${floor.p99Ms} ms`,
    );
    // Steadier than throughput on a shared machine: what each server spent per request (/proc, user + system).
    console.log(
      `server CPU per request: by id ${cpuText(byId)} us, /health/live ${cpuText(floor)} us, bare Fastify ${cpuText(ceiling)} us`,
    );
  } finally {
    charter.child.disconnect();
    await new Promise((resolve) => setTimeout(resolve, 500));
    await database.drop();
  }
}

void main();
