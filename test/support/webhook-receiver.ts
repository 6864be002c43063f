import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A webhook receiver on loopback for tests: records every request, answers 204 or, while
 * `unavailable`, 503; paths starting with `/redirect` answer 307 to `/redirected`. `stop()` closes the port and `start()` opens the same port again, to
 * simulate a receiver that is down for a while.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  unavailable = false;
  /** How long a 204 takes. */
  delayMs = 0;
  /** Requests being answered now, and the most at once (reset it to measure a phase). */
  inFlight = 0;
  maxInFlight = 0;
  /** Requests that reached `/redirected` (the target of `/redirect...`): must stay 0. */
  redirectedHits = 0;
  private server: Server | null = null;
  port = 0;

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get url(): string {
    return `${this.origin}/hooks/charter`;
  }

  async start(): Promise<void> {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const url = request.url ?? '/';
        if (url.startsWith('/redirected')) {
          this.redirectedHits += 1;
          response.writeHead(204).end();
          return;
        }
        if (url.startsWith('/redirect')) {
          response.writeHead(307, { location: `${this.origin}/redirected` }).end();
          return;
        }
        if (this.unavailable) {
          response.writeHead(503).end();
          return;
        }
        const received = { headers: request.headers, body: Buffer.concat(chunks).toString('utf8') };
        // The request counts as received once it is in; the answer may come later (a slow receiver).
        this.received.push(received);
        this.inFlight += 1;
        this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
        setTimeout(() => {
          this.inFlight -= 1;
          response.writeHead(204).end();
        }, this.delayMs);
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        resolve();
      });
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) =>
      server.close(() => {
        resolve();
      }),
    );
  }

  /** Distinct webhook-id values received, in first-arrival order. */
  ids(): string[] {
    return [...new Set(this.received.map((r) => String(r.headers['webhook-id'])))];
  }
}
