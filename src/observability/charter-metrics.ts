import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { type Pool } from 'pg';
import { DataSource } from 'typeorm';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const CHECK_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5];

/** The contract read cache's counters, read at scrape time (so metrics depend on no module). */
export interface CacheCounters {
  hits: number;
  misses: number;
}

/**
 * Every metric the service exports, in one registry per app (tests run several in one process).
 * Labels are bounded: schema field names, route patterns, error codes, verdicts; never ids or payloads.
 */
@Injectable()
export class CharterMetrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'charter_requests_total',
    help: 'Requests by API, operation (GraphQL root field or REST route pattern) and outcome (ok or error code).',
    labelNames: ['api', 'operation', 'outcome'],
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'charter_request_duration_seconds',
    help: 'Request latency by API and operation.',
    labelNames: ['api', 'operation'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly checks = new Histogram({
    name: 'charter_compatibility_check_duration_seconds',
    help: 'Compatibility checks (publish and dry-run check) by mode and verdict.',
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

  private cache: CacheCounters = { hits: 0, misses: 0 };

  constructor(@InjectDataSource() dataSource: DataSource) {
    collectDefaultMetrics({ register: this.registry, prefix: 'charter_' });
    const pool = (): Pool | undefined => (dataSource.driver as unknown as { master?: Pool }).master;
    new Gauge({
      name: 'charter_db_pool_connections',
      help: 'Database pool connections: total, idle, and callers waiting for one.',
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        const current = pool();
        this.set({ state: 'total' }, current?.totalCount ?? 0);
        this.set({ state: 'idle' }, current?.idleCount ?? 0);
        this.set({ state: 'waiting' }, current?.waitingCount ?? 0);
      },
    });
    this.cacheMetrics(() => this.cache);
  }

  /** Wired once the app is built: the cache lives in the contracts module. */
  watchCache(cache: CacheCounters): void {
    this.cache = cache;
  }

  private cacheMetrics(current: () => CacheCounters): void {
    new Gauge({
      name: 'charter_contract_cache_reads',
      help: 'Contract read cache look-ups since start, by result (hit or miss); rate() them for the hit ratio.',
      labelNames: ['result'],
      registers: [this.registry],
      collect() {
        const cache = current();
        this.set({ result: 'hit' }, cache.hits);
        this.set({ result: 'miss' }, cache.misses);
      },
    });
    new Gauge({
      name: 'charter_contract_cache_hit_ratio',
      help: 'Hits over look-ups of the contract read cache since start.',
      registers: [this.registry],
      collect() {
        const cache = current();
        const total = cache.hits + cache.misses;
        this.set(total === 0 ? 0 : cache.hits / total);
      },
    });
  }

  request(api: 'graphql' | 'rest', operation: string, outcome: string, seconds: number): void {
    this.requests.inc({ api, operation, outcome });
    this.latency.observe({ api, operation }, seconds);
  }

  /** Times a synchronous compatibility check and records its verdict. */
  timeCheck<T extends { verdict: string }>(mode: string, check: () => T): T {
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
}
