/**
 * `charter audit verify` against a running service: the export and the signed checkpoints are
 * streamed over HTTP and verified here with the operator's public key (the service is not trusted),
 * and the service's own verdict is asked for beside it.
 */
import { CharterClientError } from '../client';
import { createGraphqlRequest, type FetchLike, graphqlEndpoint } from '../client/transport';

export interface ServerVerdict {
  readonly intact: boolean;
  readonly eventsVerified: number;
  readonly headSeq: number | null;
  readonly anchoredThrough: number;
  readonly failure: { readonly seq: number; readonly code: string; readonly message: string } | null;
}

const VERIFY_QUERY = `{ auditVerification { intact eventsVerified headSeq anchoredThrough failure { seq code message } } }`;

export interface AuditService {
  /** The export as JSON lines, read as it arrives (constant memory). */
  exportLines(): AsyncGenerator<string>;
  checkpoints(): Promise<unknown[]>;
  verdict(): Promise<ServerVerdict>;
}

export function auditService(options: { url: string; token: string; fetch?: FetchLike }): AuditService {
  // Same rules as the GraphQL client: http(s) from configuration, no credentials in the URL.
  const base = graphqlEndpoint(options.url).replace(/graphql$/, '');
  const request = createGraphqlRequest(options);
  const get = async (path: string): Promise<Response> => {
    let response: Response;
    try {
      response = await (options.fetch ?? fetch)(new URL(path, base).toString(), {
        method: 'GET',
        headers: { authorization: `Bearer ${options.token}`, accept: 'application/x-ndjson' },
        redirect: 'manual',
      });
    } catch {
      throw new CharterClientError('CHARTER_UNREACHABLE', 'the registry could not be reached');
    }
    if (response.status === 401 || response.status === 403)
      throw new CharterClientError(
        'CHARTER_AUTH',
        `the registry refused the credentials (HTTP ${response.status})`,
      );
    if (!response.ok || response.body === null)
      throw new CharterClientError('CHARTER_UNAVAILABLE', `the registry answered HTTP ${response.status}`);
    return response;
  };
  return {
    async *exportLines() {
      yield* linesOf(await get('audit/export'));
    },
    async checkpoints() {
      const found: unknown[] = [];
      for await (const line of linesOf(await get('audit/checkpoints'))) {
        if (line.trim() === '') continue;
        try {
          found.push(JSON.parse(line));
        } catch {
          found.push({ malformed: 'a checkpoint line from the service is not JSON' }); // the verifier refuses it
        }
      }
      return found;
    },
    async verdict() {
      return (await request<{ auditVerification: ServerVerdict }>(VERIFY_QUERY, {})).auditVerification;
    },
  };
}

async function* linesOf(response: Response): AsyncGenerator<string> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let pending = '';
  try {
    for (;;) {
      let chunk: { done: boolean; value?: Uint8Array };
      try {
        chunk = await reader.read();
      } catch {
        throw new CharterClientError('CHARTER_UNREACHABLE', 'the export stream broke off');
      }
      if (chunk.done) break;
      pending += decoder.decode(chunk.value ?? new Uint8Array(), { stream: true });
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      yield* lines;
    }
    pending += decoder.decode();
    if (pending !== '') yield pending;
  } finally {
    void reader.cancel().catch(() => undefined); // a verifier that stops at the first failure reads no further
  }
}
