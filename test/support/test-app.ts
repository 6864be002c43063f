import { Injectable } from '@nestjs/common';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type Logger } from 'pino';
import { type EntityManager } from 'typeorm';
import { createApp } from '../../src/app.factory';
import {
  type AccessAuditEvent,
  AUDIT_RECORDER,
  type AuditContext,
  type AuditRecorder,
} from '../../src/auth/audit-recorder';
import { createLogger } from '../../src/common/logging/logger';
import { type AppConfig, loadConfig } from '../../src/config/app-config';
import { DatabaseAuditRecorder } from '../../src/modules/audit/database-audit-recorder';
import { createTestDatabase } from './test-database';

export interface GraphqlResponse<T = Record<string, unknown>> {
  status: number;
  data: T | null;
  errors?: {
    message: string;
    path?: string[];
    extensions: { code: string; details?: { path?: string; code?: string }[]; retryAfterSeconds?: number };
  }[];
}

/** A grant as tests write it: `{ role: 'owner', domain: 'sales' }`, `{ role: 'consumer', product: 'sales.orders' }`. */
export interface TestGrant {
  role: string;
  domain?: string;
  product?: string;
  clearFields?: string[];
}

export interface RecordedAuditEvent {
  event: AccessAuditEvent;
  context: AuditContext;
  inTransaction: boolean;
}

/** What a test reads of the audit seam: every event it received, in order. */
export interface AuditTap {
  readonly events: RecordedAuditEvent[];
  ofType<T extends AccessAuditEvent['type']>(type: T): Extract<AccessAuditEvent, { type: T }>[];
}

function ofTypeIn<T extends AccessAuditEvent['type']>(
  events: readonly RecordedAuditEvent[],
  type: T,
): Extract<AccessAuditEvent, { type: T }>[] {
  return events
    .map((e) => e.event)
    .filter((e): e is Extract<AccessAuditEvent, { type: T }> => e.type === type);
}

/** Keeps what the audit seam receives and writes nothing: for apps that are not under test. */
export class MemoryAuditRecorder implements AuditRecorder, AuditTap {
  readonly events: RecordedAuditEvent[] = [];

  record(event: AccessAuditEvent, context: AuditContext, manager?: unknown): Promise<void> {
    this.events.push({ event, context, inTransaction: manager !== undefined });
    return Promise.resolve();
  }

  ofType<T extends AccessAuditEvent['type']>(type: T): Extract<AccessAuditEvent, { type: T }>[] {
    return ofTypeIn(this.events, type);
  }
}

/**
 * The service's own database recorder with a tap: tests can assert what the audit seam received,
 * while every event still goes through the real path into audit_events (and can fail a change).
 */
@Injectable()
export class TappedAuditRecorder extends DatabaseAuditRecorder implements AuditTap {
  readonly events: RecordedAuditEvent[] = [];

  override record(event: AccessAuditEvent, context: AuditContext, manager?: EntityManager): Promise<void> {
    this.events.push({ event, context, inTransaction: manager !== undefined });
    return super.record(event, context, manager);
  }

  ofType<T extends AccessAuditEvent['type']>(type: T): Extract<AccessAuditEvent, { type: T }>[] {
    return ofTypeIn(this.events, type);
  }
}

export interface TestApp {
  app: NestFastifyApplication;
  databaseUrl: string;
  /** What the audit seam received; the events themselves are in the database's audit_events. */
  audit: AuditTap;
  /** As the bootstrap admin. */
  gql<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphqlResponse<T>>;
  /** With this bearer token (an API key or a JWT); null sends no Authorization header. */
  gqlAs<T = Record<string, any>>(
    token: string | null,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphqlResponse<T>>;
  /** Creates a principal holding these grants and returns a fresh API key for it. */
  principalWith(name: string, grants: TestGrant[]): Promise<string>;
  close(): Promise<void>;
}

/** A well-formed live key, fixed so every test app starts with the same admin. */
export const TEST_ADMIN_KEY = `chk_live_0000000000admin0_${'A'.repeat(43)}`;

export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return {
    ...loadConfig({}),
    logLevel: (process.env.CHARTER_TEST_LOG_LEVEL ?? 'silent') as AppConfig['logLevel'],
    port: 0,
    bootstrapAdminKey: TEST_ADMIN_KEY,
    ...overrides,
  };
}

const CREATE_PRINCIPAL = `mutation($input: CreatePrincipalInput!) { createPrincipal(input: $input) { id } }`;
const GRANT = `mutation($input: GrantRoleInput!) { grantRole(input: $input) { id } }`;
const CREATE_KEY = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`;

/** The real service on a fresh migrated database of its own; requests go through fastify.inject. */
export async function startTestApp(
  options: { databaseUrl?: string; config?: Partial<AppConfig>; logger?: Logger } = {},
): Promise<TestApp> {
  const databaseUrl = options.databaseUrl ?? (await createTestDatabase());
  const config = testConfig(options.config);
  const app = await createApp(config, databaseUrl, options.logger ?? createLogger(config.logLevel), {
    auditRecorder: TappedAuditRecorder,
  });
  const audit = app.get<TappedAuditRecorder>(AUDIT_RECORDER);
  await app.getHttpAdapter().getInstance().ready();
  const gqlAs: TestApp['gqlAs'] = async (token, query, variables) => {
    const headers = token === null ? {} : { authorization: `Bearer ${token}` };
    const response = await app.inject({
      method: 'POST',
      url: '/graphql',
      headers,
      payload: { query, variables },
    });
    return { status: response.statusCode, ...(response.json<Omit<GraphqlResponse, 'status'>>() as any) };
  };
  const must = async (query: string, variables: Record<string, unknown>): Promise<any> => {
    const response = await gqlAs(config.bootstrapAdminKey, query, variables);
    if (response.errors) throw new Error(`setup failed: ${JSON.stringify(response.errors)}`);
    return response.data;
  };
  return {
    app,
    databaseUrl,
    audit,
    gql: (query, variables) => gqlAs(config.bootstrapAdminKey, query, variables),
    gqlAs,
    async principalWith(name, grants) {
      await must(CREATE_PRINCIPAL, { input: { name, kind: 'service' } });
      for (const grant of grants) await must(GRANT, { input: { principal: name, ...grant } });
      return (await must(CREATE_KEY, { input: { principal: name } })).createApiKey.secret;
    },
    close: () => app.close(),
  };
}

/** The error code of the first GraphQL error, or 'OK' when there was none. */
export function firstCode(response: GraphqlResponse<unknown>): string {
  return response.errors?.[0]?.extensions.code ?? 'OK';
}
