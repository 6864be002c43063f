import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createApp } from '../../src/app.factory';
import { createLogger } from '../../src/common/logging/logger';
import { type AuditConfig } from '../../src/config/app-config';
import { AuditCheckpointer } from '../../src/modules/audit/audit-checkpointer';
import { auditRows } from '../support/audit-rows';
import { createTestDatabase } from '../support/test-database';
import { MemoryAuditRecorder, TEST_ADMIN_KEY, type TestApp, testConfig } from '../support/test-app';

/** The service with its real audit log (no test recorder): every event lands in audit_events. */
export interface AuditTestApp extends TestApp {
  publicKey: KeyObject;
  checkpointDir: string;
  /** Signs the committed head now, as the checkpoint timer would. */
  checkpoint(): Promise<unknown>;
  /** A superuser connection to the same database, for the attacker's side of the tests. */
  sql<T = Record<string, unknown>>(text: string, values?: unknown[]): Promise<T[]>;
}

export async function startAuditApp(
  options: { databaseUrl?: string; audit?: Partial<AuditConfig> } = {},
): Promise<AuditTestApp> {
  const databaseUrl = options.databaseUrl ?? (await createTestDatabase());
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const checkpointDir = mkdtempSync(join(tmpdir(), 'charter-audit-checkpoints-'));
  const base = testConfig();
  const config = {
    ...base,
    audit: {
      ...base.audit,
      signingKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      checkpointDir,
      ...options.audit,
    },
  };
  const app = await createApp(config, databaseUrl, createLogger(config.logLevel));
  await app.getHttpAdapter().getInstance().ready();
  const admin = new Client({ connectionString: databaseUrl });
  await admin.connect();
  const gqlAs: TestApp['gqlAs'] = async (token, query, variables) => {
    const headers = token === null ? {} : { authorization: `Bearer ${token}` };
    const response = await app.inject({
      method: 'POST',
      url: '/graphql',
      headers,
      payload: { query, variables },
    });
    return { status: response.statusCode, ...response.json<object>() } as never;
  };
  const must = async (query: string, variables: Record<string, unknown>): Promise<any> => {
    const response = await gqlAs(TEST_ADMIN_KEY, query, variables);
    if (response.errors) throw new Error(`setup failed: ${JSON.stringify(response.errors)}`);
    return response.data;
  };
  return {
    app,
    databaseUrl,
    // Unused here: identity events go to the real audit log. Kept so registry helpers accept this app.
    audit: new MemoryAuditRecorder(),
    publicKey,
    checkpointDir,
    gql: (query, variables) => gqlAs(TEST_ADMIN_KEY, query, variables),
    gqlAs,
    async principalWith(name, grants) {
      await must(`mutation($i: CreatePrincipalInput!) { createPrincipal(input: $i) { id } }`, {
        i: { name, kind: 'service' },
      });
      for (const grant of grants)
        await must(`mutation($i: GrantRoleInput!) { grantRole(input: $i) { id } }`, {
          i: { principal: name, ...grant },
        });
      return (
        await must(`mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }`, {
          i: { principal: name },
        })
      ).createApiKey.secret;
    },
    checkpoint: () => app.get(AuditCheckpointer).checkpoint(),
    async sql(text, values) {
      return (await admin.query(text, values)).rows;
    },
    async close() {
      await admin.end();
      await app.close();
    },
  };
}

export const VERIFY = `{ auditVerification { intact eventsVerified headSeq headHash anchoredThrough unanchoredEvents checkpointsChecked failure { seq code message } } }`;

export async function verification(t: AuditTestApp): Promise<Record<string, any>> {
  const response = await t.gql(VERIFY);
  if (response.errors) throw new Error(JSON.stringify(response.errors));
  return response.data?.auditVerification;
}

export async function eventCount(t: AuditTestApp): Promise<number> {
  const rows = await t.sql<{ n: string }>('SELECT count(*)::text AS n FROM audit_events');
  return Number(rows[0]?.n);
}

export async function lastEvent(t: AuditTestApp): Promise<Record<string, any>> {
  const rows = await t.sql(`SELECT * FROM ${auditRows()} ORDER BY seq DESC LIMIT 1`);
  return rows[0] as Record<string, any>;
}
