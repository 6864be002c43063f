/**
 * npm run bench:spin [-- <µs>] — the same bare Fastify hello-world with and without a busy-wait of
 * <µs> (default 40) per request, interleaved as bench:confluent measures: the ratio, and each
 * server's CPU per request. It shows what a fixed cost per request costs on this machine beyond
 * itself (README "Benchmarks"): when the server becomes the slower side, its loopback writes must
 * wake an idle client.
 */
import { getTarget, interleave, serve } from './support/bench-kit';

async function main(): Promise<void> {
  const spinUs = Number(process.argv[2] ?? 40);
  if (!Number.isFinite(spinUs) || spinUs <= 0) {
    console.error('usage: npm run bench:spin -- [µs per request, > 0]');
    process.exitCode = 2;
    return;
  }
  const spinning = await serve('hello-server', { BENCH_SPIN_US: String(spinUs) });
  const plain = await serve('hello-server');
  try {
    const compared = await interleave(getTarget(spinning), getTarget(plain));
    const cpu = (r: { serverCpuUsPerRequest?: number }) => r.serverCpuUsPerRequest ?? 0;
    const { target, baseline } = compared;
    console.log(
      `hello-world spinning ${String(spinUs)} us per request: ${target.requestsPerSecond.toFixed(0)} req/s, CPU ${cpu(target).toFixed(1)} us/request`,
    );
    console.log(
      `hello-world:                          ${baseline.requestsPerSecond.toFixed(0)} req/s, CPU ${cpu(baseline).toFixed(1)} us/request`,
    );
    console.log(
      `ratio ${compared.ratio.toFixed(2)}x (rounds ${compared.ratios.map((r) => r.toFixed(2)).join(' ')}); CPU added per request ${(cpu(target) - cpu(baseline)).toFixed(1)} us for ${String(spinUs)} us spun`,
    );
  } finally {
    spinning.child.disconnect();
    plain.child.disconnect();
  }
}

void main();
