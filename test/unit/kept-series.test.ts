import { Counter, Histogram, Registry } from 'prom-client';
import { KeptCounter, KeptHistogram } from '../../src/observability/kept-series';

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

// The same observations, in the same order, into prom-client's own metrics and into kept series.
const OBSERVATIONS: [string, string, string, number][] = [
  ['rest', 'GET /health/live', 'ok', 0.0004],
  ['graphql', 'query.contract', 'ok', 0.012],
  ['rest', 'GET /health/live', 'ok', 0.005],
  ['graphql', 'query.contract', 'NOT_FOUND', 0.3],
  ['rest', 'GET /confluent/schemas/ids/:id', 'FORBIDDEN', 31],
  ['graphql', 'query.contract', 'ok', 0.1 + 0.2],
  ['rest', 'GET /health/live', 'ok', 0],
];

function reference(): Registry {
  const registry = new Registry();
  const counter = new Counter({
    name: 'charter_requests_total',
    help: 'Requests.',
    labelNames: ['api', 'operation', 'outcome'],
    registers: [registry],
  });
  const histogram = new Histogram({
    name: 'charter_request_duration_seconds',
    help: 'Latency.',
    labelNames: ['api', 'operation'],
    buckets: BUCKETS,
    registers: [registry],
  });
  for (const [api, operation, outcome, seconds] of OBSERVATIONS) {
    counter.labels({ api, operation, outcome }).inc();
    histogram.labels({ api, operation }).observe(seconds);
  }
  return registry;
}

function kept(): { registry: Registry; counter: KeptCounter; histogram: KeptHistogram } {
  const registry = new Registry();
  const counter = new KeptCounter('charter_requests_total', 'Requests.', registry);
  const histogram = new KeptHistogram('charter_request_duration_seconds', 'Latency.', BUCKETS, registry);
  const counts = new Map<string, ReturnType<KeptCounter['series']>>();
  const latencies = new Map<string, ReturnType<KeptHistogram['series']>>();
  for (const [api, operation, outcome, seconds] of OBSERVATIONS) {
    const countKey = `${api} ${operation} ${outcome}`;
    if (!counts.has(countKey)) counts.set(countKey, counter.series({ api, operation, outcome }));
    const latencyKey = `${api} ${operation}`;
    if (!latencies.has(latencyKey)) latencies.set(latencyKey, histogram.series({ api, operation }));
    counts.get(countKey)?.inc();
    latencies.get(latencyKey)?.observe(seconds);
  }
  return { registry, counter, histogram };
}

describe('kept series', () => {
  it('export the text prom-client exports for the same observations', async () => {
    const expected = await reference().metrics();
    expect(expected).toContain('charter_request_duration_seconds_bucket{le="+Inf",api="rest"');
    expect(await kept().registry.metrics()).toBe(expected);
  });

  it('export the same JSON, and the same OpenMetrics text', async () => {
    expect(await kept().registry.getMetricsAsJSON()).toEqual(await reference().getMetricsAsJSON());
    // Typed by the registry's construction-time content type; switched here at run time.
    const open = reference() as unknown as Registry<typeof Registry.OPENMETRICS_CONTENT_TYPE>;
    open.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    const mine = kept().registry as unknown as Registry<typeof Registry.OPENMETRICS_CONTENT_TYPE>;
    mine.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    expect(await mine.metrics()).toBe(await open.metrics());
  });

  it('forget every series on reset until it is updated again, as prom-client does', async () => {
    const theirs = reference();
    const ours = kept();
    theirs.resetMetrics();
    ours.registry.resetMetrics();
    expect(await ours.registry.metrics()).toBe(await theirs.metrics());
    (theirs.getSingleMetric('charter_request_duration_seconds') as Histogram)
      .labels({ api: 'rest', operation: 'x' })
      .observe(0.02);
    ours.histogram.series({ api: 'rest', operation: 'x' }).observe(0.02);
    const text = await ours.registry.metrics();
    expect(text).toContain('charter_request_duration_seconds_bucket{le="0.025",api="rest",operation="x"} 1');
    expect(text).toBe(await theirs.metrics());
  });

  it('refuse a value that is not a finite number, as prom-client does', () => {
    const series = kept().histogram.series({ api: 'rest', operation: 'x' });
    expect(() => {
      series.observe(Number.NaN);
    }).toThrow(TypeError);
  });
});
