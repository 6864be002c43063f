/**
 * Child process of the benches: a bare Fastify hello-world, the ceiling we compare against.
 * BENCH_SPIN_US: busy-waits that many µs per request (bench:spin: what a fixed cost per request
 * does to throughput and CPU on this machine, with nothing else changed).
 */
import Fastify from 'fastify';

const spinNs = BigInt(Math.round(Number(process.env.BENCH_SPIN_US ?? 0) * 1000));

function spin(): void {
  const until = process.hrtime.bigint() + spinNs;
  while (process.hrtime.bigint() < until);
}

const app = Fastify({ logger: false });
const plainHello = (): string => 'hello world';
const spinningHello = (): string => {
  spin();
  return 'hello world';
};
// The plain one stays exactly bare Fastify: no check per request.
const hello = spinNs === 0n ? plainHello : spinningHello;
app.get('/', hello);
app.post('/', hello);
void app.listen({ host: '127.0.0.1', port: 0 }).then((url) => {
  process.send?.({ url });
});
process.on('disconnect', () => {
  void app.close().then(() => process.exit(0));
});
