import { generateWebhookSecret, signWebhook, verifyWebhook, webhookHeaders } from '../../src/webhooks';

describe('Standard Webhooks signatures', () => {
  // The example published with the Standard Webhooks specification and its reference libraries.
  const specSecret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const specId = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
  const specTimestamp = 1614265330;
  const specBody = '{"test": 2432232314}';

  it('signs the specification example to its published signature', () => {
    expect(signWebhook(specSecret, specId, specTimestamp, specBody)).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });

  it('verifies with the right secret and refuses a wrong secret, a changed body or an old timestamp', () => {
    const secret = generateWebhookSecret();
    const now = 1_800_000_000;
    const headers = webhookHeaders(secret, 'evt-1', now, '{"a":1}');
    expect(verifyWebhook(secret, headers, '{"a":1}', { nowSeconds: now })).toEqual({
      ok: true,
      id: 'evt-1',
      timestamp: now,
    });
    expect(verifyWebhook(generateWebhookSecret(), headers, '{"a":1}', { nowSeconds: now })).toEqual({
      ok: false,
      reason: 'BAD_SIGNATURE',
    });
    expect(verifyWebhook(secret, headers, '{"a":2}', { nowSeconds: now })).toMatchObject({ ok: false });
    expect(verifyWebhook(secret, headers, '{"a":1}', { nowSeconds: now + 301 })).toEqual({
      ok: false,
      reason: 'TIMESTAMP_OUT_OF_TOLERANCE',
    });
    expect(verifyWebhook(secret, { 'webhook-id': 'evt-1' }, '{"a":1}')).toEqual({
      ok: false,
      reason: 'MISSING_HEADERS',
    });
  });

  it('accepts a message signed under any of several space-separated signatures (secret rotation)', () => {
    const [oldSecret, newSecret] = [generateWebhookSecret(), generateWebhookSecret()];
    const now = 1_800_000_000;
    const signature = `${signWebhook(oldSecret, 'e', now, 'b')} ${signWebhook(newSecret, 'e', now, 'b')}`;
    const headers = { 'webhook-id': 'e', 'webhook-timestamp': String(now), 'webhook-signature': signature };
    expect(verifyWebhook(newSecret, headers, 'b', { nowSeconds: now }).ok).toBe(true);
    expect(verifyWebhook(oldSecret, headers, 'b', { nowSeconds: now }).ok).toBe(true);
  });

  it('generates secrets of 32 random bytes in the whsec_ format', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(secret);
  });
});
