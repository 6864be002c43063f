import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { trace } from '@opentelemetry/api';
import { createLogger } from '../../src/common/logging/logger';
import { TRACING } from '../../src/observability/tracing/tracing';
import { closedObject, contractText } from '../factories/contracts';
import { createProduct, PUBLISH } from '../support/registry';
import { freePort } from '../support/free-port';
import { logCapture } from '../support/log-capture';
import { startTestApp, TEST_ADMIN_KEY, type TestApp } from '../support/test-app';

interface OtlpAttribute {
  key: string;
  value: { stringValue?: string; intValue?: string | number };
}

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: OtlpAttribute[];
}

/** A loopback OTLP/HTTP receiver: every span the exporter posts as JSON to /v1/traces. */
class OtlpReceiver {
  readonly spans: OtlpSpan[] = [];
  readonly serviceNames = new Set<string>();
  private readonly server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      expect(request.url).toBe('/v1/traces');
      expect(request.headers['content-type']).toBe('application/json');
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        resourceSpans: {
          resource: { attributes: OtlpAttribute[] };
          scopeSpans: { spans: OtlpSpan[] }[];
        }[];
      };
      for (const resource of body.resourceSpans) {
        const name = resource.resource.attributes.find((a) => a.key === 'service.name');
        if (name?.value.stringValue) this.serviceNames.add(name.value.stringValue);
        for (const scope of resource.scopeSpans) this.spans.push(...scope.spans);
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) =>
      this.server.close(() => {
        resolve();
      }),
    );
  }
}

/** Every JSON log line the app writes. */

const attribute = (span: OtlpSpan, key: string): string | number | undefined => {
  const value = span.attributes.find((a) => a.key === key)?.value;
  return value?.stringValue ?? (value?.intValue === undefined ? undefined : Number(value.intValue));
};

const basic = `Basic ${Buffer.from(`ci:${TEST_ADMIN_KEY}`).toString('base64')}`;

/** A span that stands for the caller, so both requests join one trace. */
const callerTraceId = randomBytes(16).toString('hex');
const callerSpanId = randomBytes(8).toString('hex');
const traceparent = `00-${callerTraceId}-${callerSpanId}-01`;

describe('tracing off (no OTEL_EXPORTER_OTLP_ENDPOINT)', () => {
  it('registers no tracer provider and writes no trace ids', async () => {
    const logs = logCapture();
    const t = await startTestApp({ logger: createLogger('info', logs.stream) });
    try {
      expect(t.app.get(TRACING)).toBeNull();
      const response = await t.app.inject({
        method: 'GET',
        url: '/health/live',
        headers: { traceparent },
      });
      expect(response.statusCode).toBe(200);
      const probe = trace.getTracerProvider().getTracer('probe').startSpan('probe');
      expect(probe.isRecording()).toBe(false);
      expect(probe.spanContext().traceId).toBe('00000000000000000000000000000000');
      expect(logs.lines.some((line) => line.requestId !== undefined)).toBe(true);
      expect(logs.lines.some((line) => 'trace_id' in line || 'span_id' in line)).toBe(false);
    } finally {
      await t.close();
    }
  });
});

describe('tracing to an OTLP/HTTP receiver', () => {
  const receiver = new OtlpReceiver();
  const logs = logCapture();
  let t: TestApp;

  beforeAll(async () => {
    const endpoint = await receiver.start();
    t = await startTestApp({
      logger: createLogger('info', logs.stream),
      config: {
        tracing: { tracesUrl: `${endpoint}/v1/traces`, serviceName: 'charter-test', sampleRatio: 1 },
      },
    });
    await createProduct(t, 'sales', 'orders');
    // Over a real socket, so the trace context has to survive body parsing into the resolvers.
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const base = await t.app.getUrl();
    const published = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json', traceparent },
      body: JSON.stringify({
        query: PUBLISH,
        variables: {
          product: 'sales.orders',
          contract: contractText({ schema: closedObject({ id: { type: 'string' } }, ['id']) }),
        },
      }),
    });
    const result = (await published.json()) as { data: { publishContractVersion: { __typename: string } } };
    expect(result.data.publishContractVersion.__typename).toBe('ContractVersionPublished');
    const read = await fetch(`${base}/confluent/subjects/sales.orders-value/versions/latest`, {
      headers: { authorization: basic, traceparent },
    });
    expect(read.status).toBe(200);
    expect((await fetch(`${base}/health/live`, { headers: { traceparent } })).status).toBe(200);
    const refused = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json', traceparent },
      body: JSON.stringify({ query: '{ nope }' }),
    });
    expect(refused.status).toBe(400);
    // Closing flushes the batch processor to the receiver.
    await t.close();
  });

  afterAll(() => receiver.stop());

  const inTrace = (): OtlpSpan[] => receiver.spans.filter((s) => s.traceId === callerTraceId);
  const named = (name: string): OtlpSpan => {
    const found = inTrace().filter((s) => s.name === name);
    expect(found.map((s) => s.name)).toEqual([name]);
    return found[0]!;
  };
  const childrenOf = (parent: OtlpSpan): OtlpSpan[] =>
    inTrace().filter((s) => s.parentSpanId === parent.spanId);

  it('exports spans for the GraphQL operation, its queries and its compatibility check', () => {
    expect(receiver.serviceNames).toEqual(new Set(['charter-test']));
    const operation = named('mutation publishContractVersion');
    expect(attribute(operation, 'graphql.operation.type')).toBe('mutation');
    expect(attribute(operation, 'charter.outcome')).toBe('ok');
    const server = inTrace().find((s) => s.spanId === operation.parentSpanId);
    expect(server?.name).toBe('POST /graphql');
    expect(server?.parentSpanId).toBe(callerSpanId);
    expect(attribute(server!, 'http.response.status_code')).toBe(200);

    const queries = childrenOf(operation).filter((s) => s.name.startsWith('pg '));
    expect(queries.map((s) => s.name)).toEqual(
      expect.arrayContaining(['pg INSERT', 'pg SELECT', 'pg COMMIT']),
    );
    for (const query of queries) expect(attribute(query, 'db.system.name')).toBe('postgresql');

    const check = named('compatibility.check');
    expect(check.parentSpanId).toBe(operation.spanId);
    expect(attribute(check, 'charter.compatibility.mode')).toBe('BACKWARD');
    expect(attribute(check, 'charter.compatibility.verdict')).toBe('compatible');
  });

  it('exports spans for the Confluent REST and health routes, named by their patterns', () => {
    const rest = named('GET /confluent/subjects/:subject/versions/:version');
    expect(rest.parentSpanId).toBe(callerSpanId);
    expect(attribute(rest, 'http.route')).toBe('/confluent/subjects/:subject/versions/:version');
    expect(attribute(rest, 'http.response.status_code')).toBe(200);
    // The raw path holds the subject name; no span in the trace is named after it.
    expect(inTrace().some((s) => s.name.includes('sales.orders'))).toBe(false);
    expect(named('GET /health/live').parentSpanId).toBe(callerSpanId);
  });

  it('keeps a refused GraphQL document under its generic name with its error code', () => {
    const refused = named('graphql');
    expect(attribute(refused, 'charter.outcome')).toBe('INVALID_INPUT');
    expect(inTrace().find((s) => s.spanId === refused.parentSpanId)?.name).toBe('POST /graphql');
  });

  it('writes the trace id into the log lines of a traced request', () => {
    const traced = logs.lines.filter((line) => line.trace_id === callerTraceId);
    expect(traced.length).toBeGreaterThan(0);
    const spanIds = new Set(inTrace().map((s) => s.spanId));
    for (const line of traced) expect(spanIds.has(line.span_id as string)).toBe(true);
  });

  it('leaves no tracer provider registered after the app closed', () => {
    expect(trace.getTracerProvider().getTracer('probe').startSpan('probe').isRecording()).toBe(false);
  });
});

describe('tracing to a collector that is down', () => {
  it('keeps answering and logs the failed export', async () => {
    const logs = logCapture();
    const port = await freePort();
    const t = await startTestApp({
      logger: createLogger('info', logs.stream),
      config: {
        tracing: {
          tracesUrl: `http://127.0.0.1:${port}/v1/traces`,
          serviceName: 'charter-test',
          sampleRatio: 1,
        },
      },
    });
    const response = await t.app.inject({ method: 'GET', url: '/health/live', headers: { traceparent } });
    expect(response.statusCode).toBe(200);
    await t.close();
    const failures = logs.lines.filter((line) => line.context === 'Tracing' && line.level === 'error');
    expect(failures.length).toBeGreaterThan(0);
  });
});
