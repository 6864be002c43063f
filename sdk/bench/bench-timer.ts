/** Operations per second of `run`, measured for about `millis` after a short warm-up. */
export function opsPerSecond(run: () => unknown, millis = 800): number {
  for (let warm = 0; warm < 2000; warm += 1) run();
  let operations = 0;
  const start = process.hrtime.bigint();
  const budget = BigInt(millis) * 1_000_000n;
  let elapsed = 0n;
  while (elapsed < budget) {
    for (let batch = 0; batch < 500; batch += 1) run();
    operations += 500;
    elapsed = process.hrtime.bigint() - start;
  }
  return operations / (Number(elapsed) / 1e9);
}

export const formatRate = (rate: number): string =>
  `${Math.round(rate).toLocaleString('en-US').padStart(11)} /s`;
