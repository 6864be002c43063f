import { resolve } from 'node:path';
import { API_KEY_ENVIRONMENTS, type ApiKeyEnvironment, parseApiKey } from '../auth/api-key';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export interface AppConfig {
  /** Null means: start the embedded PostgreSQL under dataDir. */
  databaseUrl: string | null;
  host: string;
  port: number;
  logLevel: LogLevel;
  dataDir: string;
  embeddedPostgresPort: number;
  databasePoolSize: number;
  statementTimeoutMs: number;
  /** How long a request waits for a free pooled connection before it is answered UNAVAILABLE. */
  databaseAcquireTimeoutMs: number;
  /** The server ends sessions idle inside a transaction this long, releasing their locks. */
  databaseIdleInTransactionTimeoutMs: number;
  /** A statement waits at most this long for a row or table lock. */
  databaseLockTimeoutMs: number;
  shutdownTimeoutMs: number;
  graphqlIntrospection: boolean;
  /**
   * Runs of one document after which graphql-jit compiles it in the background (Mercurius' adaptive
   * JIT; the second run at the earliest); 0: every document runs on graphql-js.
   */
  graphqlJitMinRuns: number;
  /** Checked on every document before any resolver runs. */
  graphqlLimits: GraphqlLimits;
  bodyLimitBytes: number;
  /** A request still running after this long is answered TIMEOUT and its database queries cancelled. */
  requestTimeoutMs: number;
  metrics: MetricsConfig;
  /** OpenTelemetry traces; null (no OTEL_EXPORTER_OTLP_ENDPOINT): off, and no OTel code is loaded. */
  tracing: TracingConfig | null;
  /** Which API keys this deployment accepts: `chk_<environment>_...`. */
  environment: ApiKeyEnvironment;
  /** A key in this deployment's format whose hash is upserted as an admin principal at start. */
  bootstrapAdminKey: string | null;
  /** Null: JWT bearer tokens are refused; API keys only. */
  jwt: JwtConfig | null;
  rateLimit: RateLimitConfig;
  confluent: ConfluentConfig;
  audit: AuditConfig;
  masterKeys: MasterKeysConfig;
  webhooks: WebhooksConfig;
}

/** Change-event webhooks (issue 10): only origins the operator lists can ever be called. */
export interface WebhooksConfig {
  /** WEBHOOK_ALLOWED_ORIGINS: `https://hooks.example.com,http://10.0.0.5:8080`; empty: no webhook can be registered. */
  allowedOrigins: string[];
  /** Run the delivery worker in this instance (several instances share the outbox safely). */
  workerEnabled: boolean;
  /** One POST may take this long before it counts as a failed attempt (`TIMEOUT`). */
  requestTimeoutMs: number;
  /** After this many failed attempts a delivery is dead (visible over GraphQL, redeliverable). */
  maxAttempts: number;
  /** Retry n waits base * 2^(n-1), capped at max, with jitter in its upper half. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** How often an idle worker looks for due deliveries; NOTIFY wakes it sooner. */
  pollIntervalMs: number;
  /** Deliveries claimed per round. */
  batchSize: number;
}

/** Master keys for anonymization (issue 8): configuration only, never the database. */
export interface MasterKeysConfig {
  /** CHARTER_MASTER_KEYS: `1:<base64>,2:<base64>`; null: not set. */
  list: string | null;
  /** CHARTER_MASTER_KEY_CURRENT: the version new outputs use; null: the highest. */
  current: string | null;
  /** CHARTER_MASTER_KEY_FILE: a JSON key file `{ current, keys }`; at most one of list and file. */
  file: string | null;
}

/** The audit log (issue 7). The database never holds the signing key. */
export interface AuditConfig {
  /** Connect every pooled session as this role (INSERT/SELECT only on the audit tables); null: as the URL's user. */
  appRole: string | null;
  /** A signed checkpoint after this many new events... */
  checkpointEvery: number;
  /** ...or this many minutes, whichever comes first. */
  checkpointMinutes: number;
  /** Ed25519 private key, PEM (PKCS#8) text, or a file holding it; neither: no checkpoints are signed. */
  signingKeyPem: string | null;
  signingKeyFile: string | null;
  /** Where checkpoints are also written, outside the database; null: database only. */
  checkpointDir: string | null;
  /** Denials and failed sign-ins recorded one by one per source and minute; the rest are counted (F-11). */
  denialsPerMinute: number;
  /** Only the publish benchmark sets this, in code: there is no environment variable for it. */
  disabledForBenchmark: boolean;
}

/** Caps on one GraphQL document (RELIABILITY B-34..B-40). */
export interface GraphqlLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  /** One per field, times `first` on paginated fields (a variable counts as the largest page). */
  maxCost: number;
}

/** `/metrics` is off unless a token or a port of its own is configured. */
export interface MetricsConfig {
  /** Scrapes send `Authorization: Bearer <token>` on the service port. */
  token: string | null;
  /** A separate listener (on HOST) that serves only `/metrics`, without a token. */
  port: number | null;
}

/** Where spans go: an OTLP/HTTP (JSON) collector the operator runs. */
export interface TracingConfig {
  /** The traces URL: OTEL_EXPORTER_OTLP_ENDPOINT plus `/v1/traces`. */
  tracesUrl: string;
  /** OTEL_SERVICE_NAME, default `charter`. */
  serviceName: string;
  /** CHARTER_TRACING_SAMPLE_RATIO: the share of new traces recorded; a caller's sampled flag is followed. */
  sampleRatio: number;
}

/** The Confluent Schema Registry compatible REST API. */
export interface ConfluentConfig {
  enabled: boolean;
  /** Path prefix of every route, e.g. `/confluent`; '' mounts the API at the root. */
  prefix: string;
}

/** Asymmetric only: a shared-secret algorithm would let a public key be used as an HMAC secret. */
export const JWT_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'EdDSA',
];

export interface JwtConfig {
  issuer: string;
  audience: string;
  /** Exactly one of these two: a JWKS file on disk, or the JWKS JSON itself. Never a URL. */
  jwksFile: string | null;
  jwksJson: string | null;
  algorithms: string[];
  clockSkewSeconds: number;
}

/** Token buckets per principal and operation (publish, check, validate). */
export interface RateLimitConfig {
  perMinute: number;
  burst: number;
}

type Env = Record<string, string | undefined>;

/** The only place that reads process.env. Collects every problem before failing. */
export function loadConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}`);
      return fallback;
    }
    return value;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = env[name]?.toLowerCase();
    if (raw === undefined || raw === '') return fallback;
    if (['true', '1', 'yes'].includes(raw)) return true;
    if (['false', '0', 'no'].includes(raw)) return false;
    problems.push(`${name} must be true or false`);
    return fallback;
  };

  const databaseUrl = env.DATABASE_URL?.trim() ? env.DATABASE_URL.trim() : null;
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must be a postgres:// URL');
  }
  const logLevel = (env.LOG_LEVEL ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  const config: AppConfig = {
    databaseUrl,
    host: env.HOST ?? '127.0.0.1',
    port: int('PORT', 3000, 0, 65535),
    logLevel,
    dataDir: resolve(env.CHARTER_DATA_DIR ?? '.data'),
    embeddedPostgresPort: int('EMBEDDED_PG_PORT', 54329, 1024, 65535),
    databasePoolSize: int('DATABASE_POOL_SIZE', 10, 1, 200),
    statementTimeoutMs: int('DATABASE_STATEMENT_TIMEOUT_MS', 30_000, 100, 3_600_000),
    databaseAcquireTimeoutMs: int('DATABASE_ACQUIRE_TIMEOUT_MS', 5_000, 50, 600_000),
    databaseIdleInTransactionTimeoutMs: int(
      'DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS',
      60_000,
      100,
      3_600_000,
    ),
    databaseLockTimeoutMs: int('DATABASE_LOCK_TIMEOUT_MS', 10_000, 10, 3_600_000),
    shutdownTimeoutMs: int('SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    graphqlIntrospection: bool('GRAPHQL_INTROSPECTION', true),
    graphqlJitMinRuns: int('GRAPHQL_JIT_MIN_RUNS', 10, 0, 1_000_000),
    graphqlLimits: {
      maxDepth: int('GRAPHQL_MAX_DEPTH', 10, 2, 100),
      maxAliases: int('GRAPHQL_MAX_ALIASES', 15, 0, 1000),
      maxDirectives: int('GRAPHQL_MAX_DIRECTIVES', 10, 0, 1000),
      maxTokens: int('GRAPHQL_MAX_TOKENS', 5000, 100, 1_000_000),
      maxCost: int('GRAPHQL_MAX_COST', 10_000, 10, 10_000_000),
    },
    bodyLimitBytes: int('BODY_LIMIT_BYTES', 5 * 1024 * 1024, 1024, 100 * 1024 * 1024),
    requestTimeoutMs: int('REQUEST_TIMEOUT_MS', 30_000, 100, 3_600_000),
    metrics: metricsConfig(env, problems, int),
    tracing: tracingConfig(env, problems),
    ...authConfig(env, problems, int),
    rateLimit: {
      perMinute: int('CHARTER_RATE_LIMIT_PER_MINUTE', 60, 1, 100_000),
      burst: int('CHARTER_RATE_LIMIT_BURST', 20, 1, 100_000),
    },
    confluent: confluentConfig(env, problems, bool),
    audit: auditConfig(env, problems, int),
    masterKeys: masterKeysConfig(env, problems),
    webhooks: webhooksConfig(env, problems, int, bool),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

type IntReader = (name: string, fallback: number, min: number, max: number) => number;

function metricsConfig(env: Env, problems: string[], int: IntReader): MetricsConfig {
  const token = env.METRICS_TOKEN?.trim() ? env.METRICS_TOKEN.trim() : null;
  // A guessable token would publish the service's traffic shape to anyone.
  if (token !== null && token.length < 16) problems.push('METRICS_TOKEN must be at least 16 characters');
  const port = int('METRICS_PORT', 0, 0, 65535);
  return { token, port: port === 0 ? null : port };
}

function tracingConfig(env: Env, problems: string[]): TracingConfig | null {
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() ?? '';
  if (endpoint === '') return null;
  const url = URL.canParse(endpoint) ? new URL(endpoint) : null;
  if (url === null || !['http:', 'https:'].includes(url.protocol) || url.search !== '' || url.hash !== '')
    problems.push('OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL such as http://collector:4318');
  const serviceName = env.OTEL_SERVICE_NAME?.trim() || 'charter';
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(serviceName))
    problems.push('OTEL_SERVICE_NAME must be 1 to 64 letters, digits, dots, dashes or underscores');
  const ratioText = env.CHARTER_TRACING_SAMPLE_RATIO?.trim() ?? '';
  const sampleRatio = ratioText === '' ? 1 : Number(ratioText);
  if (!Number.isFinite(sampleRatio) || sampleRatio < 0 || sampleRatio > 1)
    problems.push('CHARTER_TRACING_SAMPLE_RATIO must be a number from 0 to 1');
  return { tracesUrl: `${endpoint.replace(/\/+$/, '')}/v1/traces`, serviceName, sampleRatio };
}

const CONFLUENT_PREFIX = /^(\/[a-z0-9][a-z0-9._-]{0,62}){1,4}$/;

function confluentConfig(
  env: Env,
  problems: string[],
  bool: (name: string, fallback: boolean) => boolean,
): ConfluentConfig {
  const prefix = (env.CONFLUENT_PREFIX ?? '/confluent').trim().replace(/\/+$/, '');
  if (prefix !== '' && !CONFLUENT_PREFIX.test(prefix))
    problems.push('CONFLUENT_PREFIX must be a path like /confluent (lower-case segments), or / for the root');
  return { enabled: bool('CONFLUENT_ENABLED', true), prefix };
}

/** Each entry must be a bare http(s) origin: scheme, host and optional port, nothing else. */
export function parseAllowedOrigins(raw: string | undefined, problems: string[]): string[] {
  const entries = (raw ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const origins: string[] = [];
  for (const entry of entries) {
    const url = URL.canParse(entry) ? new URL(entry) : null;
    const bare =
      url !== null &&
      (url.protocol === 'https:' || url.protocol === 'http:') &&
      url.username === '' &&
      url.password === '' &&
      url.pathname === '/' &&
      url.search === '' &&
      url.hash === '' &&
      !entry.endsWith('/');
    if (!bare) {
      problems.push(
        'WEBHOOK_ALLOWED_ORIGINS must list origins like https://hooks.example.com or http://host:port',
      );
      return [];
    }
    origins.push(url.origin);
  }
  return [...new Set(origins)];
}

function webhooksConfig(
  env: Env,
  problems: string[],
  int: IntReader,
  bool: (name: string, fallback: boolean) => boolean,
): WebhooksConfig {
  const backoffBaseMs = int('WEBHOOK_BACKOFF_BASE_MS', 5_000, 1, 3_600_000);
  const backoffMaxMs = int('WEBHOOK_BACKOFF_MAX_MS', 3_600_000, 1, 86_400_000);
  if (backoffMaxMs < backoffBaseMs)
    problems.push('WEBHOOK_BACKOFF_MAX_MS must be at least WEBHOOK_BACKOFF_BASE_MS');
  return {
    allowedOrigins: parseAllowedOrigins(env.WEBHOOK_ALLOWED_ORIGINS, problems),
    workerEnabled: bool('WEBHOOK_WORKER_ENABLED', true),
    requestTimeoutMs: int('WEBHOOK_TIMEOUT_MS', 10_000, 10, 120_000),
    maxAttempts: int('WEBHOOK_MAX_ATTEMPTS', 10, 1, 100),
    backoffBaseMs,
    backoffMaxMs,
    pollIntervalMs: int('WEBHOOK_POLL_INTERVAL_MS', 5_000, 10, 600_000),
    batchSize: int('WEBHOOK_BATCH_SIZE', 20, 1, 1_000),
  };
}

function masterKeysConfig(env: Env, problems: string[]): MasterKeysConfig {
  const text = (name: string): string | null => (env[name]?.trim() ? env[name].trim() : null);
  const list = text('CHARTER_MASTER_KEYS');
  const file = text('CHARTER_MASTER_KEY_FILE');
  if (list !== null && file !== null)
    problems.push('set at most one of CHARTER_MASTER_KEYS or CHARTER_MASTER_KEY_FILE');
  return { list, current: text('CHARTER_MASTER_KEY_CURRENT'), file: file === null ? null : resolve(file) };
}

function auditConfig(env: Env, problems: string[], int: IntReader): AuditConfig {
  const text = (name: string): string | null => (env[name]?.trim() ? env[name].trim() : null);
  const appRole = text('CHARTER_DB_APP_ROLE');
  if (appRole !== null && !/^[a-z_][a-z0-9_]{0,62}$/.test(appRole))
    problems.push('CHARTER_DB_APP_ROLE must be a plain lower-case role name');
  const signingKeyPem = text('CHARTER_AUDIT_SIGNING_KEY');
  const keyFile = text('CHARTER_AUDIT_SIGNING_KEY_FILE');
  if (signingKeyPem !== null && keyFile !== null)
    problems.push('set at most one of CHARTER_AUDIT_SIGNING_KEY or CHARTER_AUDIT_SIGNING_KEY_FILE');
  const dir = text('CHARTER_AUDIT_CHECKPOINT_DIR');
  return {
    appRole,
    checkpointEvery: int('CHARTER_AUDIT_CHECKPOINT_EVERY', 1000, 1, 10_000_000),
    checkpointMinutes: int('CHARTER_AUDIT_CHECKPOINT_MINUTES', 10, 1, 10_080),
    signingKeyPem,
    signingKeyFile: keyFile === null ? null : resolve(keyFile),
    checkpointDir: dir === null ? null : resolve(dir),
    denialsPerMinute: int('CHARTER_AUDIT_DENIALS_PER_MINUTE', 60, 1, 1_000_000),
    disabledForBenchmark: false,
  };
}

function authConfig(
  env: Env,
  problems: string[],
  int: IntReader,
): Pick<AppConfig, 'environment' | 'bootstrapAdminKey' | 'jwt'> {
  const environment = (env.CHARTER_ENVIRONMENT ?? 'live') as ApiKeyEnvironment;
  if (!API_KEY_ENVIRONMENTS.includes(environment))
    problems.push(`CHARTER_ENVIRONMENT must be one of ${API_KEY_ENVIRONMENTS.join(', ')}`);
  const bootstrapAdminKey = env.CHARTER_BOOTSTRAP_ADMIN_KEY?.trim()
    ? env.CHARTER_BOOTSTRAP_ADMIN_KEY.trim()
    : null;
  if (bootstrapAdminKey !== null && parseApiKey(bootstrapAdminKey)?.environment !== environment) {
    problems.push(
      `CHARTER_BOOTSTRAP_ADMIN_KEY must be a key of the form chk_${environment}_<16 id chars>_<43 secret chars>`,
    );
  }
  return { environment, bootstrapAdminKey, jwt: jwtConfig(env, problems, int) };
}

function jwtConfig(env: Env, problems: string[], int: IntReader): JwtConfig | null {
  const issuer = env.CHARTER_JWT_ISSUER?.trim() ?? '';
  const audience = env.CHARTER_JWT_AUDIENCE?.trim() ?? '';
  const jwksFile = env.CHARTER_JWT_JWKS_FILE?.trim() ? resolve(env.CHARTER_JWT_JWKS_FILE.trim()) : null;
  const jwksJson = env.CHARTER_JWT_JWKS?.trim() ? env.CHARTER_JWT_JWKS.trim() : null;
  const clockSkewSeconds = int('CHARTER_JWT_CLOCK_SKEW_SECONDS', 30, 0, 300);
  const algorithms = (env.CHARTER_JWT_ALGORITHMS ?? 'RS256,PS256,ES256,EdDSA')
    .split(',')
    .map((a) => a.trim());
  if (!issuer && !audience && !jwksFile && !jwksJson) return null;
  if (!issuer) problems.push('CHARTER_JWT_ISSUER is required when JWT authentication is configured');
  if (!audience) problems.push('CHARTER_JWT_AUDIENCE is required when JWT authentication is configured');
  if ((jwksFile === null) === (jwksJson === null))
    problems.push('set exactly one of CHARTER_JWT_JWKS_FILE or CHARTER_JWT_JWKS');
  const refused = algorithms.filter((alg) => !JWT_ALGORITHMS.includes(alg));
  if (refused.length > 0 || algorithms.length === 0)
    problems.push(`CHARTER_JWT_ALGORITHMS must list only ${JWT_ALGORITHMS.join(', ')}`);
  return { issuer, audience, jwksFile, jwksJson, algorithms, clockSkewSeconds };
}
