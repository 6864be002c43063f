import { Client } from 'pg';
import { auditRows } from './audit-rows';
import { type TestApp } from './test-app';

/** What broke, one line per violated invariant; empty when the database is consistent. */
export type InvariantViolations = string[];

const GAPS = `SELECT p.id FROM data_products p
  WHERE (SELECT count(*) FROM contract_versions v WHERE v.product_id = p.id)
        <> coalesce((SELECT max(version) FROM contract_versions v WHERE v.product_id = p.id), 0)
     OR p.latest_version <> coalesce((SELECT max(version) FROM contract_versions v WHERE v.product_id = p.id), 0)`;

// Every committed version has exactly one publish event, and every publish event a version.
const UNAUDITED_VERSIONS = `SELECT v.product_id, v.version FROM contract_versions v
  WHERE (SELECT count(*) FROM ${auditRows('a')}
         WHERE a.action = 'contract.version.publish' AND a.product_id = v.product_id::text
           AND (a.resource ->> 'version')::int = v.version) <> 1`;
const ORPHAN_EVENTS = `SELECT a.seq FROM ${auditRows('a')}
  WHERE a.action = 'contract.version.publish' AND NOT EXISTS (
    SELECT 1 FROM contract_versions v
    WHERE v.product_id::text = a.product_id AND v.version = (a.resource ->> 'version')::int)`;

const IDLE_IN_TRANSACTION = `SELECT count(*)::int AS n FROM pg_stat_activity
  WHERE datname = current_database() AND state LIKE 'idle in transaction%'
    AND state_change < now() - interval '2 seconds'`;

async function rowsOf(client: Client, sql: string): Promise<unknown[]> {
  return (await client.query(sql)).rows;
}

/**
 * RELIABILITY C-00 on a test database: versions 1..max per product with no gap, every version
 * with exactly one publish event and no event without its version, the audit chain intact,
 * and no session left idle inside a transaction.
 */
export async function registryInvariantViolations(t: TestApp): Promise<InvariantViolations> {
  const violations: InvariantViolations = [];
  const client = new Client({ connectionString: t.databaseUrl });
  await client.connect();
  try {
    const gaps = await rowsOf(client, GAPS);
    if (gaps.length > 0) violations.push(`version gaps in products ${JSON.stringify(gaps)}`);
    const unaudited = await rowsOf(client, UNAUDITED_VERSIONS);
    if (unaudited.length > 0)
      violations.push(`versions without one publish event ${JSON.stringify(unaudited)}`);
    const orphans = await rowsOf(client, ORPHAN_EVENTS);
    if (orphans.length > 0) violations.push(`publish events without a version ${JSON.stringify(orphans)}`);
    const idle = (await client.query<{ n: number }>(IDLE_IN_TRANSACTION)).rows[0]?.n ?? 0;
    if (idle > 0) violations.push(`${idle} sessions idle in transaction`);
  } finally {
    await client.end();
  }
  const verification = await t.gql(`{ auditVerification { intact failure { code seq } } }`);
  const audit = verification.data?.auditVerification as { intact?: boolean; failure?: unknown } | undefined;
  if (audit?.intact !== true) violations.push(`audit chain: ${JSON.stringify(verification)}`);
  return violations;
}
