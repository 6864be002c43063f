import { Client } from 'pg';
import { createLogger } from '../../src/common/logging/logger';
import { logCapture } from '../support/log-capture';
import { startTestApp, TEST_ADMIN_KEY, type TestApp } from '../support/test-app';

describe('request logging', () => {
  const logs = logCapture();
  let t: TestApp;
  let db: Client;

  beforeAll(async () => {
    t = await startTestApp({ logger: createLogger('info', logs.stream) });
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  it('logs an unexpected GraphQL error under the id of the request that met it', async () => {
    // A table gone from under the service: the read fails as INTERNAL, whatever the cause.
    await db.query('ALTER TABLE compatibility_settings RENAME TO compatibility_settings_away');
    try {
      const response = await t.app.inject({
        method: 'POST',
        url: '/graphql',
        headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'x-request-id': 'log-correlation-1' },
        payload: { query: '{ compatibilitySettings { mode } }' },
      });
      expect(response.headers['x-request-id']).toBe('log-correlation-1');
      const errorId = response.json().errors[0].extensions.errorId as string;
      expect(response.json().errors[0].extensions.code).toBe('INTERNAL');
      const logged = logs.lines.filter((line) => line.msg === 'unexpected error');
      expect(logged).toEqual([expect.objectContaining({ requestId: 'log-correlation-1', errorId })]);
      // The client sees neither the cause nor a stack; the log line holds them.
      expect(response.body).not.toMatch(/compatibility_settings|relation|stack/);
      expect(JSON.stringify(logged[0])).toMatch(/compatibility_settings/);
    } finally {
      await db.query('ALTER TABLE compatibility_settings_away RENAME TO compatibility_settings');
    }
  });

  it('logs an unexpected error of the audit export under the request id', async () => {
    await db.query('ALTER TABLE audit_checkpoints RENAME TO audit_checkpoints_away');
    try {
      const before = logs.lines.length;
      const response = await t.app.inject({
        method: 'GET',
        url: '/audit/checkpoints',
        headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'x-request-id': 'log-correlation-2' },
      });
      expect([response.statusCode, response.json().code]).toEqual([500, 'INTERNAL']);
      const logged = logs.lines.slice(before).filter((line) => line.msg === 'unexpected error');
      expect(logged).toEqual([
        expect.objectContaining({ requestId: 'log-correlation-2', errorId: response.json().errorId }),
      ]);
      expect(response.body).not.toMatch(/audit_checkpoints|relation|stack/);
    } finally {
      await db.query('ALTER TABLE audit_checkpoints_away RENAME TO audit_checkpoints');
    }
  });
});
