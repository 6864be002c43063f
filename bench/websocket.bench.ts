/**
 * What enabling GraphQL subscriptions costs every HTTP request: Mercurius registers
 * @fastify/websocket, which adds a global onRequest and onResponse hook. Two bare Fastify apps in
 * one process, one with the plugin, answer the same GET through fastify.inject in alternating
 * batches; the best batch of each (least disturbed by other load) gives the per-request cost.
 * Run: node -r ts-node/register/transpile-only bench/websocket.bench.ts
 */
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';

const BATCHES = 15;
const PER_BATCH = 5_000;

async function app(withWebsocket: boolean): Promise<FastifyInstance> {
  const fastify = Fastify({ logger: false });
  if (withWebsocket) await fastify.register(websocket);
  fastify.get('/', () => 'hello world');
  await fastify.ready();
  return fastify;
}

async function batch(fastify: FastifyInstance): Promise<number> {
  const started = process.hrtime.bigint();
  for (let i = 0; i < PER_BATCH; i += 1) {
    const response = await fastify.inject({ method: 'GET', url: '/' });
    if (response.statusCode !== 200) throw new Error('request failed');
  }
  return Number(process.hrtime.bigint() - started) / PER_BATCH / 1_000;
}

async function main(): Promise<void> {
  const plain = await app(false);
  const withWebsocket = await app(true);
  await batch(plain);
  await batch(withWebsocket);
  let bestPlain = Infinity;
  let bestWebsocket = Infinity;
  for (let i = 0; i < BATCHES; i += 1) {
    bestPlain = Math.min(bestPlain, await batch(plain));
    bestWebsocket = Math.min(bestWebsocket, await batch(withWebsocket));
  }
  console.log(`plain fastify:        ${bestPlain.toFixed(2)} µs/request (best of ${BATCHES} x ${PER_BATCH})`);
  console.log(`+ @fastify/websocket: ${bestWebsocket.toFixed(2)} µs/request`);
  console.log(
    `ratio: ${(bestWebsocket / bestPlain).toFixed(3)} (+${(bestWebsocket - bestPlain).toFixed(2)} µs)`,
  );
  await plain.close();
  await withWebsocket.close();
}

void main();
