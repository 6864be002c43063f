import { QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { DomainError } from '../../src/common/errors/error-codes';
import { toPublicError } from '../../src/common/errors/to-public-error';

describe('toPublicError', () => {
  it('passes domain errors through with their code and details', () => {
    const error = new DomainError('INVALID_INPUT', 'the input is invalid', [
      { path: 'name', code: 'INVALID_NAME', message: 'bad' },
    ]);
    expect(toPublicError(error)).toEqual({
      code: 'INVALID_INPUT',
      message: 'the input is invalid',
      details: [{ path: 'name', code: 'INVALID_NAME', message: 'bad' }],
    });
  });

  it.each([
    [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      'UNAVAILABLE',
    ],
    [
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      'UNAVAILABLE',
    ],
    [new Error('Connection terminated unexpectedly'), 'UNAVAILABLE'],
    [Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }), 'TIMEOUT'],
    [
      Object.assign(new Error('Body is not valid JSON'), {
        code: 'FST_ERR_CTP_INVALID_JSON_BODY',
        statusCode: 400,
      }),
      'INVALID_INPUT',
    ],
    [
      Object.assign(new Error('too large'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 }),
      'PAYLOAD_TOO_LARGE',
    ],
    [{ thrownValue: Object.assign(new Error('x'), { code: 'ECONNRESET' }) }, 'UNAVAILABLE'],
    // the ORM released a transaction's connection the server had dropped, then the next query came
    [new QueryRunnerProviderAlreadyReleasedError(), 'UNAVAILABLE'],
    [new QueryRunnerAlreadyReleasedError(), 'UNAVAILABLE'],
  ])('classifies %s', (error, code) => {
    expect(toPublicError(error).code).toBe(code);
  });

  it('finds a coded error the database driver rejected with inside the ORM wrapper', () => {
    const wrapped = Object.assign(new Error('query failed'), {
      driverError: new DomainError('TIMEOUT', 'the request took too long and was cancelled'),
    });
    expect(toPublicError(wrapped)).toEqual({
      code: 'TIMEOUT',
      message: 'the request took too long and was cancelled',
    });
  });

  it('masks anything else as INTERNAL with an error id and no original text', () => {
    const result = toPublicError(new TypeError('secret detail at /srv/app.js:12'));
    expect(result.code).toBe('INTERNAL');
    expect(result.message).toBe('internal error');
    expect(result.errorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(result)).not.toContain('secret');
  });
});
