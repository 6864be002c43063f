import { connect, createServer, type Server, type Socket } from 'node:net';

/** One direction of a proxied connection: chunks leave in order, each held back by the latency. */
class DelayedPipe {
  private lastDue = 0;

  constructor(
    private readonly from: Socket,
    private readonly to: Socket,
    private readonly latencyMs: () => number,
  ) {
    from.on('data', (chunk: Buffer) => {
      this.forward(chunk);
    });
    from.on('end', () => {
      this.schedule(() => to.end());
    });
  }

  private forward(chunk: Buffer): void {
    this.schedule(() => {
      if (!this.to.destroyed) this.to.write(chunk);
    });
  }

  // Timers due later fire later, so never scheduling before the previous chunk keeps the order.
  private schedule(action: () => void): void {
    const latency = this.latencyMs();
    if (latency === 0 && this.lastDue <= Date.now()) {
      action();
      return;
    }
    const due = Math.max(Date.now() + latency, this.lastDue);
    this.lastDue = due;
    setTimeout(action, due - Date.now());
  }
}

/**
 * A loopback TCP proxy for fault tests (RELIABILITY §3.2): it can stop (refusing and cutting every
 * connection, as a stopped database would), start again on the same port, reset every open
 * connection while still accepting new ones, and add latency to every chunk in both directions.
 */
export class TcpProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private latency = 0;
  port = 0;
  /** Connections accepted since the proxy was made. */
  accepted = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<void> {
    const server = createServer((client) => {
      this.accepted += 1;
      const upstream = connect(this.targetPort, this.targetHost);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => {
          this.sockets.delete(socket);
        });
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      new DelayedPipe(client, upstream, () => this.latency);
      new DelayedPipe(upstream, client, () => this.latency);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        resolve();
      });
    });
    const address = server.address();
    if (typeof address === 'object' && address) this.port = address.port;
    this.server = server;
  }

  /** Every chunk from now on, in either direction, arrives this much later. */
  setLatency(ms: number): void {
    this.latency = ms;
  }

  /** Resets (TCP RST) every open connection once; new connections are still accepted. */
  resetAll(): void {
    for (const socket of this.sockets) socket.resetAndDestroy();
    this.sockets.clear();
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    const server = this.server;
    this.server = null;
    if (server)
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
  }

  /** The same database URL, routed through this proxy. */
  route(url: string): string {
    const parsed = new URL(url);
    parsed.hostname = '127.0.0.1';
    parsed.port = String(this.port);
    return parsed.toString();
  }
}
