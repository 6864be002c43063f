import { type Registry } from 'prom-client';

/**
 * A counter and a histogram whose label sets the caller keeps, exported exactly as prom-client's
 * Counter and Histogram export them (same values, same order, same text). prom-client hashes and
 * validates the label set on every `inc` and `observe`, even through a `labels()` child; on the
 * per-request path these cost several microseconds, here an increment.
 */
type Labels = Record<string, string>;

interface MetricValue {
  value: number;
  labels: Record<string, string | number>;
  metricName?: string;
  sharedLabels?: Labels;
  exemplar?: null;
}

/** One metric as prom-client's registry formats it (getForPromString, get). */
interface FormattedMetric {
  name: string;
  help: string;
  type: string;
  values: MetricValue[];
  aggregator: string;
}

abstract class KeptMetric<S extends { labels: Labels }> {
  readonly aggregator = 'sum';
  // Insertion order is export order: a series joins on its first update after creation or reset.
  protected exported: S[] = [];

  constructor(
    readonly name: string,
    readonly help: string,
    registry: Registry,
  ) {
    registry.registerMetric(this as never);
  }

  /** Like prom-client's reset(): every series is forgotten until it is updated again. */
  reset(): void {
    for (const series of this.exported) this.detach(series);
    this.exported = [];
  }

  attach(series: S): void {
    this.exported.push(series);
  }

  protected abstract detach(series: S): void;
}

export class KeptCounterSeries {
  value = 0;
  attached = false;

  constructor(
    private readonly counter: KeptCounter,
    readonly labels: Labels,
  ) {}

  inc(): void {
    if (!this.attached) {
      this.attached = true;
      this.counter.attach(this);
    }
    this.value += 1;
  }
}

export class KeptCounter extends KeptMetric<KeptCounterSeries> {
  readonly type = 'counter';

  series(labels: Labels): KeptCounterSeries {
    return new KeptCounterSeries(this, labels);
  }

  get(): Promise<{ name: string; help: string; type: string; values: MetricValue[]; aggregator: string }> {
    return Promise.resolve({
      help: this.help,
      name: this.name,
      type: this.type,
      values: this.exported.map((series) => ({ value: series.value, labels: series.labels })),
      aggregator: this.aggregator,
    });
  }

  protected detach(series: KeptCounterSeries): void {
    series.attached = false;
    series.value = 0;
  }
}

export class KeptHistogramSeries {
  /** Observations per bucket (not cumulative); the last slot counts those above every bound. */
  readonly counts: number[];
  sum = 0;
  count = 0;
  attached = false;

  constructor(
    private readonly histogram: KeptHistogram,
    readonly labels: Labels,
  ) {
    this.counts = new Array<number>(histogram.upperBounds.length + 1).fill(0);
  }

  observe(value: number): void {
    if (!Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${value}`);
    if (!this.attached) {
      this.attached = true;
      this.histogram.attach(this);
    }
    const bounds = this.histogram.upperBounds;
    let bucket = 0;
    while (bucket < bounds.length && value > (bounds[bucket] as number)) bucket += 1;
    this.counts[bucket] = (this.counts[bucket] as number) + 1;
    this.sum += value;
    this.count += 1;
  }
}

export class KeptHistogram extends KeptMetric<KeptHistogramSeries> {
  readonly type = 'histogram';

  constructor(
    name: string,
    help: string,
    readonly upperBounds: readonly number[],
    registry: Registry,
  ) {
    super(name, help, registry);
  }

  series(labels: Labels): KeptHistogramSeries {
    return new KeptHistogramSeries(this, labels);
  }

  /** What the registry formats: buckets with `le` and the series labels shared, then +Inf, sum, count. */
  getForPromString(): Promise<FormattedMetric> {
    const bucketName = `${this.name}_bucket`;
    const values: MetricValue[] = [];
    for (const series of this.exported) {
      let cumulative = 0;
      this.upperBounds.forEach((le, i) => {
        cumulative += series.counts[i] as number;
        values.push({
          labels: { le },
          sharedLabels: series.labels,
          value: cumulative,
          metricName: bucketName,
          exemplar: null,
        });
      });
      values.push(
        {
          labels: { le: '+Inf' },
          sharedLabels: series.labels,
          value: series.count,
          metricName: bucketName,
          exemplar: null,
        },
        {
          labels: {},
          sharedLabels: series.labels,
          value: series.sum,
          metricName: `${this.name}_sum`,
          exemplar: undefined,
        },
        {
          labels: {},
          sharedLabels: series.labels,
          value: series.count,
          metricName: `${this.name}_count`,
          exemplar: undefined,
        },
      );
    }
    return Promise.resolve({
      name: this.name,
      help: this.help,
      type: this.type,
      values,
      aggregator: this.aggregator,
    });
  }

  /** The JSON form (registry.getMetricsAsJSON): the shared labels merged into each value's. */
  async get(): Promise<FormattedMetric> {
    const data = await this.getForPromString();
    data.values = data.values.map(({ sharedLabels, labels, ...rest }) => ({
      ...rest,
      labels: { ...labels, ...sharedLabels },
    }));
    return data;
  }

  protected detach(series: KeptHistogramSeries): void {
    series.attached = false;
    series.counts.fill(0);
    series.sum = 0;
    series.count = 0;
  }
}
