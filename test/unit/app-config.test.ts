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
    ]);
  });
});
