/** The pure half of the Confluent-compatible API: subject names, served schemas, rules, requests, errors. */
import { celEnv, parse, plan } from '@bufbuild/cel';
import { type QualityRule } from '@charter/sdk';
import { tokenOf } from '../../src/auth/authenticator';
import { DomainError, RateLimitedError } from '../../src/common/errors/error-codes';
import { ConfluentError, toConfluentReply } from '../../src/modules/confluent/confluent-error';
import {
  flag,
  levelOfRequest,
  MALFORMED_BODY,
  schemaOfRequest,
  versionOfPath,
} from '../../src/modules/confluent/confluent-request';
import { confluentPath, fieldTagsOf, servedSchemaOf } from '../../src/modules/confluent/confluent-schema';
import { productOfSubject, subjectOfProduct } from '../../src/modules/confluent/confluent-subject';
import { parseConfluentBody } from '../../src/modules/confluent/confluent-transport';
import { qualityAsDomainRules } from '../../src/modules/confluent/quality-as-cel';
import { withoutCharterAnnotations } from '../../src/modules/confluent/served-schema';

const thrown = (work: () => unknown): { status: number; errorCode: number } => {
  try {
    work();
  } catch (error) {
    if (error instanceof ConfluentError) return { status: error.status, errorCode: error.errorCode };
    throw error;
  }
  throw new Error('expected a ConfluentError');
};

describe('subjects and products', () => {
  it.each([
    ['payments.orders-value', { ok: true, product: 'payments.orders' }],
    ['payments.card-orders-value', { ok: true, product: 'payments.card-orders' }],
    ['payments.x-value-value', { ok: true, product: 'payments.x-value' }],
    ['payments.orders-key', { ok: false, reason: 'key-subject' }],
    ['payments.orders', { ok: false, reason: 'not-a-value-subject' }],
    ['orders-value', { ok: false, reason: 'not-a-product-name' }],
    ['Payments.Orders-value', { ok: false, reason: 'not-a-product-name' }],
    ['payments.orders_v2-value', { ok: false, reason: 'not-a-product-name' }],
    [':.ctx:payments.orders-value', { ok: false, reason: 'not-a-product-name' }],
    ['a.b.c-value', { ok: false, reason: 'not-a-product-name' }],
  ])('%s', (subject, expected) => {
    expect(productOfSubject(subject)).toEqual(expected);
  });

  it('is reversible for every valid product', () => {
    for (const product of ['payments.orders', 'ab.x-value', 'd1.p-2-3'])
      expect(productOfSubject(subjectOfProduct(product))).toEqual({ ok: true, product });
  });
});

describe('served schemas', () => {
  it('removes x-charter at schema positions only, through every subschema keyword', () => {
    const schema = {
      type: 'object',
      'x-charter': { classification: 'internal' },
      properties: {
        'x-charter': { type: 'string', 'x-charter': { tags: ['a'] } },
        items: { type: 'array', items: { type: 'string', 'x-charter': { tags: ['b'] } } },
        pick: { anyOf: [{ const: { 'x-charter': 1 }, 'x-charter': { tags: ['c'] } }] },
      },
      $defs: { d: { 'x-charter': { tags: ['d'] }, not: { 'x-charter': {} } } },
      dependencies: { a: ['b'] },
    };
    expect(withoutCharterAnnotations(schema)).toEqual({
      type: 'object',
      properties: {
        'x-charter': { type: 'string' },
        items: { type: 'array', items: { type: 'string' } },
        pick: { anyOf: [{ const: { 'x-charter': 1 } }] },
      },
      $defs: { d: { not: {} } },
      dependencies: { a: ['b'] },
    });
  });

  it.each([
    ['', '$'],
    ['/email', '$.email'],
    ['/customer/email', '$.customer.email'],
    ['/items/*/sku', '$.items[*].sku'],
    ['/a~1b/first name', '$["a/b"]["first name"]'],
  ])('path %s is %s', (path, expected) => {
    expect(confluentPath(path)).toBe(expected);
  });

  it('tags PII fields for Confluent rules and keeps Charter’s tags', () => {
    const schema = {
      type: 'object',
      properties: {
        email: { type: 'string', 'x-charter': { tags: ['pii:email'] } },
        region: { type: 'string', 'x-charter': { tags: ['geo'] } },
        id: { type: 'string' },
      },
    };
    expect(fieldTagsOf(schema)).toEqual({ '$.email': ['PII', 'pii:email'], '$.region': ['geo'] });
  });

  it('serves a bare schema with no metadata or rules when the contract has none', () => {
    expect(servedSchemaOf({ schema: { type: 'string' } })).toEqual({
      schemaType: 'JSON',
      schema: '{"type":"string"}',
    });
  });
});

describe('quality rules as CEL domain rules', () => {
  const env = celEnv({});
  const holds = (expr: string, message: unknown): unknown =>
    plan(env, parse(expr))({ message: message as never });
  const rule = (r: object): QualityRule => r as QualityRule;
  const exprOf = (r: object): string => {
    const [served] = qualityAsDomainRules([rule(r)]);
    if (!served) throw new Error('no rule served');
    return served.expr;
  };

  it.each([
    [
      { kind: 'range', path: '/amount', min: 0, exclusiveMin: true },
      [
        [{ amount: 1 }, true],
        [{ amount: 0 }, false],
        [{}, true],
        [{ amount: null }, true],
      ],
    ],
    [
      { kind: 'range', path: '/a/b', max: 10 },
      [
        [{ a: { b: 10 } }, true],
        [{ a: { b: 11 } }, false],
        [{ a: null }, true],
      ],
    ],
    [
      { kind: 'length', path: '/name', min: 2, max: 3 },
      [
        [{ name: 'ab' }, true],
        [{ name: 'a' }, false],
        [{ name: 'abcd' }, false],
      ],
    ],
    [
      { kind: 'allowedValues', path: '/currency', values: ['EUR', 'USD'] },
      [
        [{ currency: 'EUR' }, true],
        [{ currency: 'GBP' }, false],
      ],
    ],
    [
      { kind: 'required', path: '/customer/id' },
      [
        [{ customer: { id: 'x' } }, true],
        [{ customer: {} }, false],
        [{}, false],
      ],
    ],
    [
      { kind: 'range', path: '/items/*/qty', min: 1 },
      [
        [{ items: [{ qty: 1 }, { qty: 2 }] }, true],
        [{ items: [{ qty: 1 }, { qty: 0 }] }, false],
        [{ items: [{}] }, true],
      ],
    ],
    [
      { kind: 'range', path: '/class', min: 1 },
      [
        [{ class: 1 }, true],
        [{ class: 0 }, false],
      ],
    ],
    [
      { kind: 'cel', expression: 'message.total > 0.0' },
      [
        [{ total: 1 }, true],
        [{ total: 0 }, false],
      ],
    ],
    [
      {
        kind: 'conditional',
        when: { kind: 'allowedValues', path: '/status', values: ['SHIPPED'] },
        then: [{ kind: 'required', path: '/shippedAt' }],
      },
      [
        [{ status: 'SHIPPED', shippedAt: 't' }, true],
        [{ status: 'SHIPPED' }, false],
        [{ status: 'NEW' }, true],
      ],
    ],
  ])('%j', (check, cases) => {
    const expr = exprOf({ name: 'r', ...check });
    for (const [message, expected] of cases as [unknown, boolean][])
      expect([message, holds(expr, message)]).toEqual([message, expected]);
  });

  it('serves error rules as WRITE conditions and leaves out what CEL cannot say per record', () => {
    const served = qualityAsDomainRules([
      rule({ name: 'positive', kind: 'range', path: '/amount', min: 0, description: 'no refunds' }),
      rule({ name: 'soft', kind: 'range', path: '/amount', max: 5, severity: 'warning' }),
      rule({ name: 'iban', kind: 'pattern', path: '/iban', pattern: '^[A-Z]{2}' }),
      rule({ name: 'fresh', kind: 'timestamp', path: '/at', maxAge: 'PT1H' }),
      rule({ name: 'ids', kind: 'unique', path: '/items', keys: ['/id'] }),
    ]);
    expect(served).toEqual([
      {
        name: 'positive',
        doc: 'no refunds',
        kind: 'CONDITION',
        mode: 'WRITE',
        type: 'CEL',
        expr: expect.any(String),
        onFailure: 'ERROR',
      },
    ]);
  });
});

describe('requests', () => {
  const schema = JSON.stringify({ type: 'object' });

  it('accepts JSON schemas only, and only well-formed ones', () => {
    expect(schemaOfRequest({ schemaType: 'JSON', schema })).toEqual({ type: 'object' });
    expect(thrown(() => schemaOfRequest({ schema }))).toEqual({ status: 422, errorCode: 42201 });
    expect(thrown(() => schemaOfRequest({ schemaType: 'AVRO', schema }))).toEqual({
      status: 422,
      errorCode: 42201,
    });
    expect(thrown(() => schemaOfRequest({ schemaType: 'JSON', schema: '{"a":1,"a":2}' }))).toEqual({
      status: 422,
      errorCode: 42201,
    });
    expect(
      thrown(() => schemaOfRequest({ schemaType: 'JSON', schema, references: [{ name: 'x' }] })),
    ).toEqual({
      status: 422,
      errorCode: 42201,
    });
    expect(thrown(() => schemaOfRequest(MALFORMED_BODY))).toEqual({ status: 400, errorCode: 400 });
    expect(thrown(() => schemaOfRequest(undefined))).toEqual({ status: 400, errorCode: 400 });
  });

  it.each([
    ['1', 1],
    ['latest', 'latest'],
    ['-1', 'latest'],
    ['2147483647', 2147483647],
  ])('version %s', (raw, expected) => {
    expect(versionOfPath(raw)).toBe(expected);
  });

  it.each(['0', '-2', '01', '2147483648', 'LATEST', '1.5'])('version %s is 42202', (raw) => {
    expect(thrown(() => versionOfPath(raw))).toEqual({ status: 422, errorCode: 42202 });
  });

  it('reads levels case-insensitively from either field and refuses others with 42203', () => {
    expect(levelOfRequest({ compatibility: 'full_transitive' })).toBe('FULL_TRANSITIVE');
    expect(levelOfRequest({ compatibilityLevel: 'NONE' })).toBe('NONE');
    expect(thrown(() => levelOfRequest({ compatibility: 'SIDEWAYS' }))).toEqual({
      status: 422,
      errorCode: 42203,
    });
    expect(thrown(() => levelOfRequest({}))).toEqual({ status: 422, errorCode: 42203 });
  });

  it('parses vendor bodies, treating empty as none and garbage as malformed', () => {
    expect(parseConfluentBody('')).toBeUndefined();
    expect(parseConfluentBody('{"a":1}')).toEqual({ a: 1 });
    expect(parseConfluentBody('{"a":')).toBe(MALFORMED_BODY);
    expect([flag('true'), flag('TRUE'), flag('1'), flag(undefined)]).toEqual([true, true, false, false]);
  });

  it.each([
    ['Bearer abc', 'abc'],
    [`Basic ${Buffer.from('user:chk_live_key').toString('base64')}`, 'chk_live_key'],
    [`basic ${Buffer.from(':secret:with:colons').toString('base64')}`, 'secret:with:colons'],
    [`Basic ${Buffer.from('nocolon').toString('base64')}`, undefined],
    [`Basic ${Buffer.from('user:').toString('base64')}`, undefined],
    ['Digest abc', undefined],
  ])('credential of %s', (header, expected) => {
    expect(tokenOf(header)).toBe(expected);
  });
});

describe('errors', () => {
  it.each([
    [new ConfluentError(404, 40403, 'Schema 9 not found'), 404, 40403],
    [new DomainError('UNAUTHENTICATED', 'missing or invalid credentials'), 401, 401],
    [new DomainError('FORBIDDEN', 'not allowed'), 403, 40301],
    [new DomainError('NOT_FOUND', 'data product x not found'), 404, 40401],
    [new DomainError('INVALID_INPUT', 'bad'), 422, 42200],
    [Object.assign(new Error('down'), { code: 'ECONNREFUSED' }), 503, 50003],
    [new Error('boom'), 500, 50001],
  ])('%s', (error, status, code) => {
    const reply = toConfluentReply(error);
    expect([reply.status, reply.body.error_code]).toEqual([status, code]);
    expect(typeof reply.body.message).toBe('string');
  });

  it('answers 429 with a retry hint and masks internal errors behind an id', () => {
    expect(toConfluentReply(new RateLimitedError(7))).toMatchObject({
      status: 429,
      retryAfterSeconds: 7,
      body: { error_code: 42901 },
    });
    const internal = toConfluentReply(new Error('secret detail'));
    expect(internal.body.message).toBe('internal error');
    expect(internal.body.errorId).toEqual(expect.any(String));
  });
});
