import { DomainError, invalidInput } from '../../common/errors/error-codes';

export const MAX_WEBHOOK_URL_LENGTH = 2048;

/** Detail codes of a refused webhook URL (all under INVALID_INPUT), documented in the README. */
export const WEBHOOK_URL_CODES = {
  notConfigured: 'WEBHOOKS_NOT_CONFIGURED',
  originNotAllowed: 'WEBHOOK_ORIGIN_NOT_ALLOWED',
  invalidUrl: 'INVALID_WEBHOOK_URL',
} as const;

/**
 * The SSRF stance: Charter only ever calls origins the operator listed in WEBHOOK_ALLOWED_ORIGINS.
 * The URL is parsed, never fetched here; http(s) only, no credentials, no fragment.
 */
export function checkWebhookUrl(raw: string, allowedOrigins: readonly string[]): string {
  if (allowedOrigins.length === 0)
    throw new DomainError('INVALID_INPUT', 'webhooks are not enabled on this deployment', [
      { path: 'url', code: WEBHOOK_URL_CODES.notConfigured, message: 'WEBHOOK_ALLOWED_ORIGINS is empty' },
    ]);
  const url = parse(raw);
  if (!allowedOrigins.includes(url.origin))
    throw invalidInput('the webhook URL is not on an allowed origin', [
      {
        path: 'url',
        code: WEBHOOK_URL_CODES.originNotAllowed,
        message: 'the scheme, host and port must be one listed in WEBHOOK_ALLOWED_ORIGINS',
      },
    ]);
  return url.href;
}

/** At delivery time too: an origin removed from the list is no longer called. */
export function isAllowedTarget(url: string, allowedOrigins: readonly string[]): boolean {
  try {
    return allowedOrigins.includes(new URL(url).origin);
  } catch {
    return false;
  }
}

function parse(raw: string): URL {
  const refuse = (message: string): DomainError =>
    invalidInput('the webhook URL is not acceptable', [
      { path: 'url', code: WEBHOOK_URL_CODES.invalidUrl, message },
    ]);
  if (raw.length > MAX_WEBHOOK_URL_LENGTH) throw refuse(`at most ${MAX_WEBHOOK_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse('not an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw refuse('http or https only');
  if (url.username !== '' || url.password !== '') throw refuse('no credentials in the URL');
  if (url.hash !== '') throw refuse('no fragment');
  return url;
}
