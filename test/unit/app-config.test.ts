import { ConfigError, loadConfig } from '../../src/config/app-config';

describe('loadConfig', () => {
  it('defaults to the embedded database and a local port', () => {
    const config = loadConfig({});
    expect(config.databaseUrl).toBeNull();
    expect(config.port).toBe(3000);
    expect(config.dataDir).toMatch(/\.data$/);
  });

  it('reads DATABASE_URL and numbers', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u@h:5432/db',
      PORT: '8080',
      DATABASE_POOL_SIZE: '20',
    });
    expect(config).toMatchObject({ databaseUrl: 'postgres://u@h:5432/db', port: 8080, databasePoolSize: 20 });
  });

  it('reports every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({
        DATABASE_URL: 'mysql://x',
        PORT: 'eighty',
        LOG_LEVEL: 'loud',
        GRAPHQL_INTROSPECTION: 'maybe',
        GRAPHQL_JIT_MIN_RUNS: '-1',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'DATABASE_URL must be a postgres:// URL',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
      'PORT must be an integer from 0 to 65535',
      'GRAPHQL_INTROSPECTION must be true or false',
      'GRAPHQL_JIT_MIN_RUNS must be an integer from 0 to 1000000',
    ]);
  });

  it('compiles GraphQL documents after ten runs unless GRAPHQL_JIT_MIN_RUNS says otherwise', () => {
    expect(loadConfig({}).graphqlJitMinRuns).toBe(10);
    expect(loadConfig({ GRAPHQL_JIT_MIN_RUNS: '0' }).graphqlJitMinRuns).toBe(0);
  });

  it('turns tracing on only with an OTLP endpoint', () => {
    expect(loadConfig({}).tracing).toBeNull();
    expect(
      loadConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
        OTEL_SERVICE_NAME: 'charter-eu',
        CHARTER_TRACING_SAMPLE_RATIO: '0.25',
      }).tracing,
    ).toEqual({ tracesUrl: 'http://collector:4318/v1/traces', serviceName: 'charter-eu', sampleRatio: 0.25 });
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example.com' }).tracing).toEqual({
      tracesUrl: 'https://otel.example.com/v1/traces',
      serviceName: 'charter',
      sampleRatio: 1,
    });
  });

  it('refuses a tracing endpoint that is not an http(s) URL, and bad names or ratios', () => {
    expect(() =>
      loadConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'file:///etc/passwd',
        OTEL_SERVICE_NAME: 'has spaces',
        CHARTER_TRACING_SAMPLE_RATIO: '2',
      }),
    ).toThrow(
      new ConfigError([
        'OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL such as http://collector:4318',
        'OTEL_SERVICE_NAME must be 1 to 64 letters, digits, dots, dashes or underscores',
        'CHARTER_TRACING_SAMPLE_RATIO must be a number from 0 to 1',
      ]),
    );
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' })).toThrow(ConfigError);
  });
});
