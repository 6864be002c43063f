import { type RateLimitConfig } from '../config/app-config';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export type TakeOutcome = { ok: true } | { ok: false; retryAfterSeconds: number };

const MAX_BUCKETS = 50_000;

/**
 * In-process token buckets, one per (principal, operation). Each instance counts on its own,
 * so N instances behind a balancer allow up to N times the rate: a shared store is future work.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(
    private readonly config: RateLimitConfig,
    private readonly now: () => number = Date.now,
  ) {
    this.perMs = config.perMinute / 60_000;
  }

  take(key: string): TakeOutcome {
    const now = this.now();
    const bucket = this.refilled(this.buckets.get(key), now);
    if (bucket.tokens >= 1) {
      this.buckets.set(key, { tokens: bucket.tokens - 1, updatedAt: now });
      this.evictIfCrowded(now);
      return { ok: true };
    }
    this.buckets.set(key, bucket);
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000)) };
  }

  private refilled(bucket: Bucket | undefined, now: number): Bucket {
    if (!bucket) return { tokens: this.config.burst, updatedAt: now };
    const tokens = Math.min(this.config.burst, bucket.tokens + (now - bucket.updatedAt) * this.perMs);
    return { tokens, updatedAt: now };
  }

  /** A bucket that has refilled completely holds no information; drop those when the map grows. */
  private evictIfCrowded(now: number): void {
    if (this.buckets.size <= MAX_BUCKETS) return;
    for (const [key, bucket] of this.buckets)
      if (this.refilled(bucket, now).tokens >= this.config.burst) this.buckets.delete(key);
  }
}
