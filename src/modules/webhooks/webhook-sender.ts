import { webhookHeaders } from '@charter/sdk';

export interface SendResult {
  delivered: boolean;
  statusCode: number | null;
  /** Null when delivered; else HTTP_STATUS, REDIRECT_REFUSED, TIMEOUT, CONNECTION_FAILED, ORIGIN_NOT_ALLOWED. */
  errorCode: string | null;
}

export interface OutgoingMessage {
  url: string;
  secret: string;
  /** The CloudEvent id: the same on every attempt, so receivers deduplicate by it. */
  id: string;
  body: string;
}

/**
 * One POST in the CloudEvents structured JSON mode, signed per Standard Webhooks. Redirects are
 * never followed (a 3xx is a failed attempt): the target stays the allowlisted URL.
 */
export async function sendWebhook(message: OutgoingMessage, timeoutMs: number): Promise<SendResult> {
  const timestamp = Math.floor(Date.now() / 1000);
  try {
    const response = await fetch(message.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        'content-type': 'application/cloudevents+json',
        'user-agent': 'Charter-Webhooks/1',
        ...webhookHeaders(message.secret, message.id, timestamp, message.body),
      },
      body: message.body,
    });
    // The body is not needed; drain it so the connection is released.
    await response.arrayBuffer().catch(() => undefined);
    const status = response.status;
    if (status >= 200 && status < 300) return { delivered: true, statusCode: status, errorCode: null };
    const redirected = (status >= 300 && status < 400) || response.type === 'opaqueredirect';
    return {
      delivered: false,
      statusCode: status === 0 ? null : status,
      errorCode: redirected ? 'REDIRECT_REFUSED' : 'HTTP_STATUS',
    };
  } catch (error) {
    const name = (error as { name?: string }).name;
    const timedOut = name === 'TimeoutError' || name === 'AbortError';
    return { delivered: false, statusCode: null, errorCode: timedOut ? 'TIMEOUT' : 'CONNECTION_FAILED' };
  }
}
