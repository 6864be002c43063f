import { loadConfig } from '../../src/config/app-config';
import { retryDelayMs } from '../../src/modules/webhooks/webhook-backoff';
import { checkWebhookUrl, isAllowedTarget } from '../../src/modules/webhooks/webhook-target';

describe('webhook configuration, allowlist and backoff', () => {
  it('reads WEBHOOK_ALLOWED_ORIGINS as bare http(s) origins and refuses anything else', () => {
    expect(loadConfig({}).webhooks.allowedOrigins).toEqual([]);
    expect(
      loadConfig({
        WEBHOOK_ALLOWED_ORIGINS:
          'https://Hooks.Example.com, http://10.0.0.5:8080,https://hooks.example.com:443',
      }).webhooks.allowedOrigins,
    ).toEqual(['https://hooks.example.com', 'http://10.0.0.5:8080']);
    for (const bad of [
      'https://h.example/path',
      'https://u:p@h.example',
      'ftp://h.example',
      'h.example',
      'https://h.example/',
    ]) {
      expect(() => loadConfig({ WEBHOOK_ALLOWED_ORIGINS: bad })).toThrow(/WEBHOOK_ALLOWED_ORIGINS/);
    }
    expect(() => loadConfig({ WEBHOOK_BACKOFF_BASE_MS: '5000', WEBHOOK_BACKOFF_MAX_MS: '10' })).toThrow(
      /WEBHOOK_BACKOFF_MAX_MS/,
    );
  });

  it('matches a target by exact origin: scheme, host and port', () => {
    const allowed = ['https://hooks.example.com'];
    expect(checkWebhookUrl('https://hooks.example.com/a?b=c', allowed)).toBe(
      'https://hooks.example.com/a?b=c',
    );
    expect(checkWebhookUrl('https://HOOKS.example.com:443/a', allowed)).toBe('https://hooks.example.com/a');
    for (const url of [
      'http://hooks.example.com/a',
      'https://hooks.example.com:8443/a',
      'https://hooks.example.com.evil.test/a',
      'https://evil.test/@hooks.example.com',
    ])
      expect(() => checkWebhookUrl(url, allowed)).toThrow(/allowed origin/);
    expect(isAllowedTarget('https://hooks.example.com/x', allowed)).toBe(true);
    expect(isAllowedTarget('https://other.example.com/x', allowed)).toBe(false);
  });

  it('backs off exponentially up to the cap, with jitter in the upper half', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 1000, 60_000, () => 1))).toEqual([1000, 2000, 4000, 8000]);
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 1000, 60_000, () => 0))).toEqual([500, 1000, 2000, 4000]);
    expect(retryDelayMs(40, 1000, 60_000, () => 1)).toBe(60_000);
    expect(retryDelayMs(40, 1000, 60_000, () => 0)).toBe(30_000);
  });
});
