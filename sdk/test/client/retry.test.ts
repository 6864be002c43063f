import { backoffDelay, CharterClientError, createCharterClient, DEFAULT_RETRY } from '../../src/client';
import { errorReply, startRegistryStub, versionReply, type RegistryStub } from './registry-stub';

const TOKEN = 'chk_live_0000000000test00_secret';

describe('retries against a loopback registry', () => {
  let stub: RegistryStub;
  let delays: number[];
  const client = () =>
    createCharterClient({
      url: stub.url,
      token: TOKEN,
      retries: 3,
      retry: {
        baseDelayMs: 100,
        maxDelayMs: 2000,
        random: () => 0.5,
        sleep: (ms) => {
          delays.push(ms);
          return Promise.resolve();
        },
      },
    });
  beforeEach(async () => {
    stub = await startRegistryStub();
    delays = [];
  });
  afterEach(() => stub.close());

  function failTimes(times: number, failure: Parameters<RegistryStub['reply']>[0]): void {
    let calls = 0;
    stub.reply((r) => (++calls <= times ? failure(r) : versionReply('pay.orders', 1, 3)));
  }

  it.each([
    ['HTTP 503 without a body', () => ({ status: 503, body: 'busy' })],
    ['UNAVAILABLE', () => errorReply('UNAVAILABLE')],
    ['TIMEOUT', () => errorReply('TIMEOUT')],
    ['a dropped connection', () => 'drop' as const],
  ])('retries %s with doubling jittered backoff, then succeeds', async (_name, failure) => {
    failTimes(2, failure);
    const validator = await client().validator('pay.orders', 1);
    expect(validator.validate({ id: 'a' }).ok).toBe(true);
    expect(stub.requests).toHaveLength(3);
    expect(delays).toEqual([50, 100]);
  });

  it('waits at least retryAfterSeconds on RATE_LIMITED', async () => {
    failTimes(1, () => errorReply('RATE_LIMITED', 200, { retryAfterSeconds: 2 }));
    await client().validator('pay.orders', 1);
    expect(stub.requests).toHaveLength(2);
    expect(delays[0]).toBeGreaterThanOrEqual(2000);
  });

  it('gives up after `retries` further attempts with the last code', async () => {
    stub.reply(() => errorReply('UNAVAILABLE', 503));
    await expect(client().validator('pay.orders', 1)).rejects.toMatchObject({ code: 'CHARTER_UNAVAILABLE' });
    expect(stub.requests).toHaveLength(4);
    expect(delays).toEqual([50, 100, 200]);
  });

  it('answers RATE_LIMITED at once when the hint is longer than it would ever wait', async () => {
    stub.reply(() => errorReply('RATE_LIMITED', 200, { retryAfterSeconds: 3600 }));
    await expect(client().validator('pay.orders', 1)).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      details: { retryAfterSeconds: 3600 },
    });
    expect(stub.requests).toHaveLength(1);
  });

  it.each([
    ['UNAUTHENTICATED', 401, 'CHARTER_AUTH'],
    ['FORBIDDEN', 200, 'CHARTER_AUTH'],
    ['NOT_FOUND', 200, 'NOT_FOUND'],
    ['INVALID_INPUT', 400, 'INVALID_INPUT'],
    ['PAYLOAD_TOO_LARGE', 413, 'INVALID_INPUT'],
    ['INTERNAL', 200, 'CHARTER_INTERNAL'],
  ])('never retries %s (HTTP %i): %s after one request', async (code, status, expected) => {
    stub.reply(() => errorReply(code, status, { errorId: 'e-1' }));
    const failure = client().validator('pay.orders', 1);
    await expect(failure).rejects.toBeInstanceOf(CharterClientError);
    await expect(failure).rejects.toMatchObject({ code: expected, details: { registryCode: code } });
    expect(stub.requests).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it('treats a bare HTTP 401 or 403 as CHARTER_AUTH without retrying', async () => {
    stub.reply(() => ({ status: 403, body: 'no' }));
    await expect(client().validator('pay.orders', 1)).rejects.toMatchObject({ code: 'CHARTER_AUTH' });
    expect(stub.requests).toHaveLength(1);
  });
});

describe('backoffDelay: full jitter', () => {
  const options = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000 };
  it('is uniform in [0, min(max, base * 2^attempt))', () => {
    expect(backoffDelay(0, { ...options, random: () => 0 })).toBe(0);
    expect(backoffDelay(0, { ...options, random: () => 0.999 })).toBe(99);
    expect(backoffDelay(3, { ...options, random: () => 0.999 })).toBe(799);
    expect(backoffDelay(10, { ...options, random: () => 0.999 })).toBe(999);
  });
  it('never waits less than a Retry-After hint', () => {
    expect(backoffDelay(0, { ...options, random: () => 0 }, 3)).toBe(3000);
    expect(backoffDelay(5, { ...options, random: () => 0.999 }, 1)).toBeLessThan(1100);
  });
});
