/**
 * The wait before retry n (n = failed attempts so far, from 1): base * 2^(n-1) capped at max,
 * then "equal jitter" (a random point in its upper half) so receivers that failed together do not
 * get every retry at the same instant.
 */
export function retryDelayMs(
  failedAttempts: number,
  baseMs: number,
  maxMs: number,
  random = Math.random,
): number {
  const exponent = Math.min(Math.max(failedAttempts - 1, 0), 30);
  const ceiling = Math.min(maxMs, baseMs * 2 ** exponent);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
