import { CharterClientError } from './errors';

export interface RetryOptions {
  /** Further attempts after the first; 0 disables retries. */
  readonly retries: number;
  /** First backoff cap; doubles per attempt up to `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** [0, 1); Math.random by default. */
  readonly random?: () => number;
}

export const DEFAULT_RETRY: RetryOptions = { retries: 3, baseDelayMs: 200, maxDelayMs: 5000 };

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * How long to wait before attempt `attempt + 1`: full jitter (uniform in [0, cap)) so clients that
 * failed together do not retry together; a server's Retry-After hint is a floor, never shortened.
 */
export function backoffDelay(attempt: number, options: RetryOptions, retryAfterSeconds?: number): number {
  const cap = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** attempt);
  const jitter = Math.floor((options.random ?? Math.random)() * cap);
  return retryAfterSeconds !== undefined ? retryAfterSeconds * 1000 + Math.floor(jitter / 10) : jitter;
}

/** Runs `operation`, again on retryable CharterClientErrors, up to `retries` more times. */
export async function withRetry<T>(operation: () => Promise<T>, options: RetryOptions): Promise<T> {
  const sleep = options.sleep ?? realSleep;
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await operation();
    } catch (error) {
      if (!(error instanceof CharterClientError) || !error.retryable || attempt >= options.retries)
        throw error;
      const delay = backoffDelay(attempt, options, error.details.retryAfterSeconds);
      // A hint longer than we would ever wait means the answer now is the honest one.
      if (delay > options.maxDelayMs * 4) throw error;
      await sleep(delay);
    }
  }
}
