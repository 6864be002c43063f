import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';

export interface StubRequest {
  operation: string;
  variables: Record<string, unknown>;
  authorization: string | undefined;
  path: string;
}

export type StubReply = { status?: number; body: unknown; headers?: Record<string, string> } | 'drop';

/** A registry on 127.0.0.1 answering each GraphQL request with whatever the test says. */
export interface RegistryStub {
  url: string;
  requests: StubRequest[];
  reply: (handler: (request: StubRequest) => StubReply) => void;
  close: () => Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

function operationOf(query: string): string {
  return /^\s*(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? 'anonymous';
}

export async function startRegistryStub(): Promise<RegistryStub> {
  const requests: StubRequest[] = [];
  let handler: (request: StubRequest) => StubReply = () => ({ status: 500, body: {} });
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void readBody(req).then((text) => {
      const { query, variables } = JSON.parse(text) as { query: string; variables: Record<string, unknown> };
      const request = {
        operation: operationOf(query),
        variables,
        authorization: req.headers.authorization,
        path: req.url ?? '',
      };
      requests.push(request);
      const reply = handler(request);
      if (reply === 'drop') {
        req.socket.destroy();
        return;
      }
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reply: (next) => {
      handler = next;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** A port nothing listens on: opened, read, closed. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export const contractDoc = (maxLength: number): Record<string, unknown> => ({
  apiVersion: 'charter/v1',
  kind: 'DataContract',
  metadata: { owner: 'team-payments' },
  schema: {
    type: 'object',
    properties: { id: { type: 'string', maxLength } },
    required: ['id'],
    additionalProperties: false,
  },
});

export function versionReply(
  product: string,
  version: number,
  maxLength: number,
  withDocument = true,
): StubReply {
  return {
    body: {
      data: {
        contractVersion: {
          id: 100 + version,
          product,
          version,
          contentHash: `hash-${maxLength}`,
          state: 'active',
          deleted: false,
          ...(withDocument ? { document: contractDoc(maxLength) } : {}),
        },
      },
    },
  };
}

export const errorReply = (code: string, status = 200, extra: Record<string, unknown> = {}): StubReply => ({
  status,
  body: { data: null, errors: [{ message: `failed: ${code}`, extensions: { code, ...extra } }] },
});
