/**
 * npm run bench:audit — in one run:
 *  1. the kernel's chain verification speed over 100k synthetic events (sdk/bench/audit-verify.bench.ts);
 *  2. the service's verification over 100k stored events (their canonical text streamed from PostgreSQL
 *     by binary COPY and each row walked as it arrives, walkStoredChain), beside the floor of reading
 *     the same rows through the same reader unverified;
 *  3. the cost of auditing on publish latency: two instances of the service on one database, one
 *     with auditing switched off (a config flag only this bench sets), publishes interleaved.
 * `-- --verification-only` runs part 2 alone (for profiling the service's verification).
 */
import './support/sdk-from-source';
import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import {
  type AuditEvent,
  type AuditEventBody,
  canonicalEventText,
  chainEvent,
  GENESIS_HASH,
} from '@charter/sdk';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import { createApp } from '../src/app.factory';
import { createLogger } from '../src/common/logging/logger';
import { loadConfig } from '../src/config/app-config';
import { AuditEventsRepository } from '../src/modules/audit/audit-events.repository';
import { AuditVerifier } from '../src/modules/audit/audit-verifier';
import { benchContract } from '../sdk/bench/bench-contract';
import { benchDatabase } from './support/bench-kit';
import { PUBLISH } from './support/publish-load';

// From sources bench/ is one level down, compiled (dist/bench/) two.
const REPOSITORY = join(__dirname, __filename.endsWith('.js') ? '../..' : '..');

const ADMIN_KEY = `chk_live_0000000000bench0_${'B'.repeat(43)}`;
const PRODUCTS = 20;
const REVISIONS = 12;
const WARM_UP_REVISIONS = 2;
const SYNTHETIC_EVENTS = 100_000;
const VERIFICATION_ONLY = process.argv.includes('--verification-only');

async function startService(url: string, auditOff: boolean): Promise<NestFastifyApplication> {
  const base = loadConfig({});
  const config = {
    ...base,
    logLevel: 'silent' as const,
    bootstrapAdminKey: ADMIN_KEY,
    rateLimit: { perMinute: 10_000_000, burst: 10_000_000 },
    audit: { ...base.audit, disabledForBenchmark: auditOff },
  };
  const app = await createApp(config, url, createLogger('silent'));
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

async function gql(app: NestFastifyApplication, query: string, variables = {}): Promise<unknown> {
  const response = await app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { authorization: `Bearer ${ADMIN_KEY}` },
    payload: { query, variables },
  });
  const body = response.json<{ data?: unknown; errors?: unknown }>();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

async function timedPublish(
  app: NestFastifyApplication,
  domain: string,
  product: number,
  revision: number,
): Promise<number> {
  const start = process.hrtime.bigint();
  const variables = { p: `${domain}.p${String(product)}`, c: benchContract(product, revision) };
  const data = (await gql(app, PUBLISH, variables)) as {
    publishContractVersion: { __typename: string };
  };
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (data.publishContractVersion.__typename !== 'ContractVersionPublished')
    throw new Error(`publish refused: ${data.publishContractVersion.__typename}`);
  return ms;
}

const quantile = (sorted: number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

/** Same products, same contracts, requests alternating between the two instances. */
async function publishLatency(off: NestFastifyApplication, on: NestFastifyApplication): Promise<void> {
  for (const [app, domain] of [
    [off, 'plain'],
    [on, 'audited'],
  ] as const) {
    await gql(app, `mutation($n: String!) { createDomain(input: { name: $n, owningTeam: "t" }) { id } }`, {
      n: domain,
    });
    for (let p = 0; p < PRODUCTS; p += 1)
      await gql(
        app,
        `mutation($d: String!, $n: String!) { createDataProduct(input: { domain: $d, name: $n, owningTeam: "t" }) { id } }`,
        { d: domain, n: `p${p}` },
      );
  }
  const times = { off: [] as number[], on: [] as number[] };
  for (let revision = 0; revision < REVISIONS; revision += 1)
    for (let p = 0; p < PRODUCTS; p += 1) {
      const first = (revision + p) % 2 === 0; // alternate which instance goes first
      const offMs = first ? await timedPublish(off, 'plain', p, revision) : NaN;
      const onMs = await timedPublish(on, 'audited', p, revision);
      const offLate = first ? offMs : await timedPublish(off, 'plain', p, revision);
      if (revision < WARM_UP_REVISIONS) continue;
      times.off.push(offLate);
      times.on.push(onMs);
    }
  const line = (name: string, values: number[]): string => {
    const sorted = [...values].sort((a, b) => a - b);
    return `${name} mean ${mean(values).toFixed(2)} ms  p50 ${quantile(sorted, 0.5).toFixed(2)} ms  p95 ${quantile(sorted, 0.95).toFixed(2)} ms`;
  };
  const overhead = (mean(times.on) / mean(times.off) - 1) * 100;
  const median = (v: number[]) =>
    quantile(
      [...v].sort((a, b) => a - b),
      0.5,
    );
  const overheadP50 = (median(times.on) / median(times.off) - 1) * 100;
  console.log(
    `publish latency: ${times.on.length} sequential publishes per instance (interleaved), one database`,
  );
  console.log(`  ${line('audit off', times.off)}`);
  console.log(`  ${line('audit on ', times.on)}`);
  console.log(
    `  auditing costs ${overhead.toFixed(1)}% on the mean, ${overheadP50.toFixed(1)}% on p50; goal ≤ 20%: ${overhead <= 20 ? 'met' : 'MISSED'}`,
  );
}

function syntheticBody(seq: number): AuditEventBody {
  return {
    seq,
    eventId: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    time: new Date(Date.UTC(2026, 0, 1) + seq).toISOString(),
    actor: {
      principalId: '7c4e0a47-8a8e-4a51-9a43-0a5b1d1c2f3e',
      principalType: 'service',
      authMethod: 'api-key',
      roles: ['producer@domain:5c1e6b0e-4f7e-4a53-8b9a-2d3f4e5a6b7c'],
    },
    action: 'contract.version.publish',
    resource: {
      type: 'Contract',
      id: String(seq),
      product: 'bench.orders',
      productId: 'a1b2',
      domainId: 'c3d4',
      version: seq,
    },
    outcome: 'success',
    request: { requestId: `req-${seq}`, userAgent: 'charter-cli/0.1' },
    change: { afterHash: 'a'.repeat(64), fromVersion: seq - 1, toVersion: seq },
  };
}

/** Appends a long valid chain as the table owner, then times the service's own verifier over all of it. */
async function serviceVerification(url: string, app: NestFastifyApplication): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const head = (
      await client.query<{ seq: string; hash: string }>(
        'SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1',
      )
    ).rows[0];
    let prev = head?.hash ?? GENESIS_HASH;
    const from = Number(head?.seq ?? 0) + 1;
    for (let start = from; start < from + SYNTHETIC_EVENTS; start += 2000) {
      const batch: AuditEvent[] = [];
      for (let seq = start; seq < Math.min(start + 2000, from + SYNTHETIC_EVENTS); seq += 1) {
        const event = chainEvent(prev, syntheticBody(seq));
        batch.push(event);
        prev = event.hash;
      }
      const rows = batch.map((e) => ({
        seq: e.seq,
        occurred_at: e.time,
        prev_hash: e.prevHash,
        hash: e.hash,
        canonical: canonicalEventText(e), // as the service stores it since migration 1763820000000
      }));
      await client.query(
        `INSERT INTO audit_events (seq, occurred_at, prev_hash, hash, canonical)
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(seq bigint, occurred_at timestamptz, prev_hash text, hash text, canonical text)`,
        [JSON.stringify(rows)],
      );
    }
    // What autovacuum and the checkpointer do in the minutes after so many inserts (the bench
    // server runs without autovacuum): hint bits set and dirty buffers written here, untimed,
    // instead of by whichever timed read touches the fresh rows first.
    await client.query('VACUUM audit_events');
    await client.query('CHECKPOINT');
  } finally {
    await client.end();
  }
  // Floor: the same rows read through the same reader (eachRecord), nothing hashed or checked.
  const readAll = async (): Promise<{ rows: number; seconds: number }> => {
    const readStart = process.hrtime.bigint();
    let rows = 0;
    await app.get(AuditEventsRepository).eachRecord(false, (record) => {
      if (record.seq > 0) rows += 1;
      return true;
    });
    return { rows, seconds: Number(process.hrtime.bigint() - readStart) / 1e9 };
  };
  // The first read in a fresh process runs at about half speed (JIT, caches): printed, then the
  // floor and the verification are timed warm, as in a running service.
  const cold = await readAll();
  const floor = await readAll();
  const perSecond = ({ rows, seconds }: { rows: number; seconds: number }) =>
    Math.round(rows / seconds).toLocaleString('en-US');
  console.log(
    `service first read in this process (cold, same COPY reader, no hashing): ${perSecond(cold)} rows/s`,
  );
  console.log(
    `service read floor (the same rows through the same COPY reader, no hashing): ${perSecond(floor)} rows/s`,
  );
  const start = process.hrtime.bigint();
  const result = await app.get(AuditVerifier).verify();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (!result.ok) throw new Error(`chain did not verify: ${result.code} at ${result.seq}`);
  const rate = Math.round(result.eventsVerified / seconds);
  console.log(
    `service verification (stored canonical text streamed by binary COPY in keyset batches of 10,000, each row hashed as it arrives; columns generated from it): ${result.eventsVerified.toLocaleString('en-US')} events in ${seconds.toFixed(2)} s = ${rate.toLocaleString('en-US')} events/s; goal ≥ 100,000: ${rate >= 100_000 ? 'met' : 'MISSED'}`,
  );
}

async function main(): Promise<void> {
  if (VERIFICATION_ONLY) return verificationOnly();
  const kernel = spawnSync(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', 'bench/audit-verify.bench.ts'],
    {
      cwd: join(REPOSITORY, 'sdk'),
      stdio: 'inherit',
    },
  );
  if (kernel.status !== 0) throw new Error('kernel verification bench failed');
  const database = await benchDatabase();
  const off = await startService(database.url, true);
  const on = await startService(database.url, false);
  try {
    await publishLatency(off, on);
    await serviceVerification(database.url, on);
  } finally {
    await off.close();
    await on.close();
    await database.drop();
  }
}

async function verificationOnly(): Promise<void> {
  const database = await benchDatabase();
  const on = await startService(database.url, false);
  try {
    await serviceVerification(database.url, on);
  } finally {
    await on.close();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
