import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app.factory';
import { createLogger } from '../../src/common/logging/logger';
import { type AppConfig, loadConfig } from '../../src/config/app-config';
import { createTestDatabase } from './test-database';

export interface GraphqlResponse<T = Record<string, unknown>> {
  status: number;
  data: T | null;
  errors?: {
    message: string;
    path?: string[];
    extensions: { code: string; details?: { path?: string; code?: string }[] };
  }[];
}

export interface TestApp {
  app: NestFastifyApplication;
  databaseUrl: string;
  gql<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphqlResponse<T>>;
  close(): Promise<void>;
}

export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  const logLevel = (process.env.CHARTER_TEST_LOG_LEVEL ?? 'silent') as AppConfig['logLevel'];
  return { ...loadConfig({}), logLevel, port: 0, ...overrides };
}

/** The real service on a fresh migrated database of its own; requests go through fastify.inject. */
export async function startTestApp(
  options: { databaseUrl?: string; config?: Partial<AppConfig> } = {},
): Promise<TestApp> {
  const databaseUrl = options.databaseUrl ?? (await createTestDatabase());
  const config = testConfig(options.config);
  const app = await createApp(config, databaseUrl, createLogger(config.logLevel));
  await app.getHttpAdapter().getInstance().ready();
  return {
    app,
    databaseUrl,
    async gql(query, variables) {
      const response = await app.inject({ method: 'POST', url: '/graphql', payload: { query, variables } });
      return { status: response.statusCode, ...(response.json<Omit<GraphqlResponse, 'status'>>() as any) };
    },
    close: () => app.close(),
  };
}

/** The error code of the first GraphQL error, or 'OK' when there was none. */
export function firstCode(response: GraphqlResponse<unknown>): string {
  return response.errors?.[0]?.extensions.code ?? 'OK';
}
