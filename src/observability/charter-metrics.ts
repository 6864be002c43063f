import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { type Pool } from 'pg';
import { DataSource } from 'typeorm';
import { getOrCreate, newMap } from '../common/get-or-create';
import { type Tracing, TRACING } from './tracing/tracing';
import { KeptCounter, type KeptCounterSeries, KeptHistogram, type KeptHistogramSeries } from './kept-series';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const CHECK_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5];

interface RequestSeries {
  count: KeptCounterSeries;
  latency: KeptHistogramSeries;
}

/** A cache's look-up counters, read at scrape time (so metrics depend on no module). */
export interface CacheCounters {
  hits: number;
  misses: number;
}

/** The caches that report: contract reads, product references, Confluent served schemas. */
export type CacheName = 'contract' | 'product' | 'served_schema';

/** `read` (readPayloads) or `reveal` (revealValues). */
export type AnonymizationOperation = 'read' | 'reveal';

/**
 * Every metric the service exports, in one registry per app (tests run several in one process).
 * Labels are bounded: schema field names, route patterns, error codes, verdicts; never ids or payloads.
 */
@Injectable()
export class CharterMetrics {
  readonly registry = new Registry();
  // Counted on every request: series kept here, exported as prom-client would (kept-series.ts).
  private readonly requests = new KeptCounter(
    'charter_requests_total',
    'Requests by API, operation (GraphQL root field or REST route pattern) and outcome (ok or error code).',
    this.registry,
  );
  private readonly latency = new KeptHistogram(
    'charter_request_duration_seconds',
    'Request latency by API and operation.',
    LATENCY_BUCKETS,
    this.registry,
  );
  // api → operation → outcome → series.
  private readonly requestSeries = new Map<string, Map<string, Map<string, RequestSeries>>>();
  private readonly latencySeries = new Map<string, KeptHistogramSeries>();
  private readonly checks = new Histogram({
    name: 'charter_compatibility_check_duration_seconds',
    help: 'Compatibility checks (publish, dry-run check, Confluent compatibility test) by mode and verdict.',
    labelNames: ['mode', 'verdict'],
    buckets: CHECK_BUCKETS,
    registers: [this.registry],
  });
  private readonly publishes = new Counter({
    name: 'charter_contract_publishes_total',
    help: 'Publish attempts by outcome: created, unchanged, incompatible (refused), invalid.',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  private readonly payloads = new Counter({
    name: 'charter_payload_validations_total',
    help: 'Payloads validated against a contract, by result.',
    labelNames: ['result'],
    registers: [this.registry],
  });

  private readonly anonymized = new Counter({
    name: 'charter_anonymization_fields_total',
    help: 'Field values released by readPayloads (planned fields x records) and revealValues (values), by operator (clear, mask, hash, encrypt, ...).',
    labelNames: ['operation', 'operator'],
    registers: [this.registry],
  });
  private readonly auditAppends = new Counter({
    name: 'charter_audit_appends_total',
    help: 'Audit events written by this instance, by action (counted when written, inside the transaction of their change).',
    labelNames: ['action'],
    registers: [this.registry],
  });
  private readonly auditHead = new Gauge({
    name: 'charter_audit_chain_head_seq',
    help: 'Sequence number of the newest audit event this instance wrote (max() across instances is the chain head).',
    registers: [this.registry],
  });

  private auditHeadSeq = 0;
  private readonly caches = new Map<CacheName, CacheCounters>();

  constructor(
    @InjectDataSource() dataSource: DataSource,
    @Inject(TRACING) private readonly tracing: Tracing | null,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'charter_' });
    const pool = (): Pool | undefined => (dataSource.driver as unknown as { master?: Pool }).master;
    new Gauge({
      name: 'charter_db_pool_connections',
      help: 'Database pool connections: max (configured size), total (open), idle, and callers waiting for one.',
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        const current = pool();
        this.set(
          { state: 'max' },
          (current as { options?: { max?: number } } | undefined)?.options?.max ?? 0,
        );
        this.set({ state: 'total' }, current?.totalCount ?? 0);
        this.set({ state: 'idle' }, current?.idleCount ?? 0);
        this.set({ state: 'waiting' }, current?.waitingCount ?? 0);
      },
    });
    this.cacheMetrics();
  }

  /** Each cache registers its counters once it exists. */
  watchCache(name: CacheName, cache: CacheCounters): void {
    this.caches.set(name, cache);
  }

  private cacheMetrics(): void {
    const caches = this.caches;
    new Counter({
      name: 'charter_cache_lookups_total',
      help: 'Cache look-ups since start by cache (contract, product, served_schema) and result (hit or miss).',
      labelNames: ['cache', 'result'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [cache, counters] of caches) {
          this.inc({ cache, result: 'hit' }, counters.hits);
          this.inc({ cache, result: 'miss' }, counters.misses);
        }
      },
    });
    new Gauge({
      name: 'charter_cache_hit_ratio',
      help: 'Hits over look-ups since start, by cache; rate() the look-ups for a recent ratio.',
      labelNames: ['cache'],
      registers: [this.registry],
      collect() {
        for (const [cache, counters] of caches) {
          const total = counters.hits + counters.misses;
          this.set({ cache }, total === 0 ? 0 : counters.hits / total);
        }
      },
    });
  }

  request(api: 'graphql' | 'rest', operation: string, outcome: string, seconds: number): void {
    // Label sets are bounded (schema root fields, route patterns, error codes): their series are
    // kept, found by the label strings themselves (no key string built per request).
    const byOperation = getOrCreate(this.requestSeries, api, newMap<string, Map<string, RequestSeries>>);
    const byOutcome = getOrCreate(byOperation, operation, newMap<string, RequestSeries>);
    const series = getOrCreate(byOutcome, outcome, () => ({
      count: this.requests.series({ api, operation, outcome }),
      latency: this.latencyOf(api, operation),
    }));
    series.count.inc();
    series.latency.observe(seconds);
  }

  /** One latency series per (api, operation), whatever the outcome. */
  private latencyOf(api: string, operation: string): KeptHistogramSeries {
    return getOrCreate(this.latencySeries, `${api}\n${operation}`, () =>
      this.latency.series({ api, operation }),
    );
  }

  /** Times a synchronous compatibility check and records its verdict; a span of its own when tracing. */
  timeCheck<T extends { verdict: string }>(mode: string, check: () => T): T {
    if (this.tracing === null) return this.measureCheck(mode, check);
    return this.tracing.inSpan('compatibility.check', { 'charter.compatibility.mode': mode }, (span) => {
      const report = this.measureCheck(mode, check);
      span.setAttribute('charter.compatibility.verdict', report.verdict);
      return report;
    });
  }

  private measureCheck<T extends { verdict: string }>(mode: string, check: () => T): T {
    const started = process.hrtime.bigint();
    const report = check();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    this.checks.observe({ mode, verdict: report.verdict }, seconds);
    return report;
  }

  publish(outcome: 'created' | 'unchanged' | 'incompatible' | 'invalid'): void {
    this.publishes.inc({ outcome });
  }

  payloadsValidated(valid: number, invalid: number): void {
    this.payloads.inc({ result: 'valid' }, valid);
    this.payloads.inc({ result: 'invalid' }, invalid);
  }

  /** `count` values released through `operator` (`clear` for fields released unchanged). */
  anonymizedFields(operation: AnonymizationOperation, operator: string, count: number): void {
    if (count > 0) this.anonymized.inc({ operation, operator }, count);
  }

  auditAppended(action: string, seq: number): void {
    this.auditAppends.inc({ action });
    if (seq > this.auditHeadSeq) {
      this.auditHeadSeq = seq;
      this.auditHead.set(seq);
    }
  }
}
