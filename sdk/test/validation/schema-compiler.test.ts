import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { RE2JS } from 're2js';
import {
  compileSchema,
  createSchemaCompiler,
  dialectOf,
  guardSchema,
  compileLinearPattern,
} from '../../src/validation';
import { isBacktrackSafe } from '../../src/validation/linear-regexp';

function issuesOf(schema: unknown) {
  const result = compileSchema(schema);
  if (result.ok) throw new Error('expected the schema to be refused');
  return result.issues;
}

function validatorOf(schema: unknown) {
  const result = compileSchema(schema);
  if (!result.ok) throw new Error(`expected the schema to compile: ${result.issues[0]?.code ?? ''}`);
  return result;
}

describe('dialects', () => {
  it('defaults to 2020-12 and recognises every supported $schema URI', () => {
    expect(dialectOf({ type: 'string' })).toBe('2020-12');
    expect(dialectOf({ $schema: 'http://json-schema.org/draft-04/schema#' })).toBe('draft-04');
    expect(dialectOf({ $schema: 'http://json-schema.org/draft-06/schema' })).toBe('draft-06');
    expect(dialectOf({ $schema: 'https://json-schema.org/draft-07/schema#' })).toBe('draft-07');
    expect(dialectOf({ $schema: 'https://json-schema.org/draft/2019-09/schema' })).toBe('2019-09');
    expect(dialectOf({ $schema: 'https://example.com/my-dialect' })).toBeUndefined();
  });

  it('applies draft-04 boolean exclusiveMinimum', () => {
    const { validate, dialect } = validatorOf({
      $schema: 'http://json-schema.org/draft-04/schema#',
      type: 'number',
      minimum: 1,
      exclusiveMinimum: true,
    });
    expect(dialect).toBe('draft-04');
    expect(validate(1)).toBe(false);
    expect(validate(1.5)).toBe(true);
  });

  it('applies draft-06 numeric exclusiveMaximum and draft-07 if/then', () => {
    const six = validatorOf({
      $schema: 'http://json-schema.org/draft-06/schema#',
      type: 'number',
      exclusiveMaximum: 3,
    });
    expect([six.validate(2), six.validate(3)]).toEqual([true, false]);
    const seven = validatorOf({
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      if: { type: 'object', properties: { kind: { const: 'a' } } },
      then: { required: ['a'] },
    });
    expect([seven.validate({ kind: 'a' }), seven.validate({ kind: 'a', a: 1 })]).toEqual([false, true]);
  });

  it('applies 2019-09 dependentRequired and 2020-12 prefixItems', () => {
    const nineteen = validatorOf({
      $schema: 'https://json-schema.org/draft/2019-09/schema',
      type: 'object',
      dependentRequired: { card: ['cvv'] },
    });
    expect([nineteen.validate({ card: 1 }), nineteen.validate({ card: 1, cvv: 2 })]).toEqual([false, true]);
    const twenty = validatorOf({
      type: 'array',
      prefixItems: [{ type: 'string' }, { type: 'number' }],
      minItems: 2,
      items: false,
    });
    expect([twenty.validate(['a', 1]), twenty.validate(['a', 1, 2]), twenty.validate([1])]).toEqual([
      true,
      false,
      false,
    ]);
  });

  it('refuses what strict mode refuses, naming the strict rule', () => {
    const [issue] = issuesOf({ exclusiveMaximum: 3 });
    expect(issue).toMatchObject({ code: 'SCHEMA_STRICT', message: expect.stringContaining('strictTypes') });
    expect(issuesOf({ type: 'array', prefixItems: [{ type: 'string' }] })[0]?.code).toBe('SCHEMA_STRICT');
  });

  it('refuses an unknown dialect with a coded issue', () => {
    expect(issuesOf({ $schema: 'https://example.com/other', type: 'string' })[0]?.code).toBe(
      'SCHEMA_UNSUPPORTED_DIALECT',
    );
  });
});

describe('strict mode and the x-charter annotation', () => {
  it('refuses an unknown keyword (typo detection)', () => {
    const [issue] = issuesOf({ type: 'object', requried: ['a'] });
    expect(issue).toMatchObject({
      code: 'SCHEMA_UNKNOWN_KEYWORD',
      message: expect.stringContaining('requried'),
    });
  });

  it('accepts x-charter as a pure annotation that changes no verdict', () => {
    const { validate } = validatorOf({
      type: 'object',
      properties: {
        email: { type: 'string', 'x-charter': { classification: 'confidential', tags: ['pii:email'] } },
      },
    });
    expect(validate({ email: 'anything' })).toBe(true);
    expect(validate({ email: 3 })).toBe(false);
  });

  it('refuses an x-charter annotation with an unknown classification', () => {
    expect(issuesOf({ type: 'string', 'x-charter': { classification: 'top-secret' } })[0]?.code).toBe(
      'SCHEMA_INVALID_ANNOTATION',
    );
  });

  it('refuses $data references (the option is off)', () => {
    const issues = issuesOf({
      type: 'object',
      properties: { low: { type: 'number' }, high: { type: 'number', minimum: { $data: '1/low' } } },
    });
    expect(issues[0]?.code).toBe('SCHEMA_INVALID');
    expect(issues[0]?.path).toBe('/properties/high/minimum');
  });

  it('reports meta-schema violations at their schema location', () => {
    expect(issuesOf({ type: 'object', properties: { a: { type: 'strin' } } })[0]).toMatchObject({
      code: 'SCHEMA_INVALID',
      path: '/properties/a/type',
    });
  });

  it('exposes the configured ajv so the service compiles with the same settings', () => {
    const ajv = createSchemaCompiler('draft-07');
    expect(() => ajv.compile({ type: 'string', requried: true })).toThrow(/unknown keyword/);
    expect(ajv.compile({ type: 'string', format: 'email' })('not-an-email')).toBe(false);
  });
});

describe('references', () => {
  let server: Server;
  let connections = 0;
  let base = '';

  beforeAll(async () => {
    server = createServer((_request, response) => response.end('{"type":"string"}'));
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it.each([
    ['an http URL', () => `${base}/schema.json`],
    ['a file URL', () => 'file:///etc/passwd'],
    ['a relative file', () => 'package.json'],
    ['an absolute path', () => '/etc/hosts#/x'],
  ])('refuses a $ref to %s without opening anything', (_label, ref) => {
    const issues = issuesOf({ type: 'object', properties: { a: { $ref: ref() } } });
    expect(issues[0]).toMatchObject({ code: 'SCHEMA_EXTERNAL_REF', path: '/properties/a' });
    expect(connections).toBe(0);
  });

  it('refuses external $dynamicRef and $recursiveRef too', () => {
    expect(issuesOf({ $dynamicRef: `${base}/x` })[0]?.code).toBe('SCHEMA_EXTERNAL_REF');
    expect(
      issuesOf({ $schema: 'https://json-schema.org/draft/2019-09/schema', $recursiveRef: 'x.json' })[0]?.code,
    ).toBe('SCHEMA_EXTERNAL_REF');
  });

  it('resolves local references, including recursive ones', () => {
    const { validate } = validatorOf({
      $defs: { node: { type: 'object', properties: { next: { $ref: '#/$defs/node' } } } },
      $ref: '#/$defs/node',
    });
    expect(validate({ next: { next: {} } })).toBe(true);
    expect(validate({ next: { next: 3 } })).toBe(false);
  });

  it('reports an unresolvable local reference', () => {
    expect(issuesOf({ $ref: '#/$defs/missing' })[0]?.code).toBe('SCHEMA_UNRESOLVED_REF');
  });
});

describe('hostile schemas', () => {
  it('refuses nesting deeper than the limit before ajv sees it', () => {
    let schema: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 1000; i++) schema = { type: 'object', properties: { a: schema } };
    expect(guardSchema(schema)[0]?.code).toBe('SCHEMA_TOO_DEEP');
    expect(issuesOf(schema)[0]?.code).toBe('SCHEMA_TOO_DEEP');
  });

  it('refuses an enum over the cap', () => {
    const values = Array.from({ length: 5000 }, (_, i) => `v${i}`);
    expect(issuesOf({ enum: values })[0]?.code).toBe('SCHEMA_ENUM_TOO_LARGE');
  });

  it('does not mistake an enum value or a property named enum for schema structure', () => {
    const { validate } = validatorOf({
      type: 'object',
      properties: {
        enum: { type: 'object', properties: { $ref: { type: 'string' } } },
        x: { enum: [{ $ref: 'a.json' }] },
      },
    });
    expect(validate({ enum: { $ref: 'ok' }, x: { $ref: 'a.json' } })).toBe(true);
  });
});

describe('linear-time patterns', () => {
  it('runs the ReDoS pattern ^(a+)+$ on 100 KB in under 100 ms', () => {
    const { validate } = validatorOf({ type: 'string', pattern: '^(a+)+$' });
    const input = `${'a'.repeat(100_000)}!`;
    expect(validate('aa!')).toBe(false); // warm-up outside the timing
    const started = performance.now();
    expect(validate(input)).toBe(false);
    expect(performance.now() - started).toBeLessThan(100);
    expect(validate('aaaa')).toBe(true);
  });

  it('runs patternProperties through the same engine', () => {
    const { validate } = validatorOf({
      type: 'object',
      propertyNames: { maxLength: 200_000 },
      patternProperties: { '^(a+)+$': { type: 'number' } },
    });
    expect(validate({ aaa: 'x' })).toBe(false);
    const started = performance.now();
    expect(validate({ [`${'a'.repeat(100_000)}!`]: 'x' })).toBe(true);
    expect(performance.now() - started).toBeLessThan(100);
  });

  it.each(['(?=a)b', '(a)\\1', '(['])('refuses %s (look-around, back-reference, syntax)', (pattern) => {
    expect(issuesOf({ type: 'string', pattern })[0]?.code).toBe('SCHEMA_INVALID_PATTERN');
  });
});

describe('native fast path for patterns that cannot backtrack badly', () => {
  it.each([
    ['^SKU-[0-9]{4,8}$', true],
    ['^[A-Z]{2}$', true],
    ['^[a-z]+$', true],
    ['^(a+)+$', false],
    ['^a*a*$', false],
    ['a+', false],
    ['^[a-z]*[a-z]{0,50}x', false],
    ['^a|b', false],
  ])('%s is native-safe: %p', (pattern, safe) => {
    expect(isBacktrackSafe(pattern)).toBe(safe);
  });

  it('gives the same verdicts on either engine', () => {
    for (const pattern of ['^SKU-[0-9]{4,8}$', '^[A-Z]{2}$', '^\\+[0-9]{6,15}$']) {
      const fast = compileLinearPattern(pattern);
      const linear = RE2JS.compile(pattern);
      for (const input of ['SKU-1234', 'SKU-123', 'FR', 'fr', 'FRA', '+33123456789', '+3312', '']) {
        expect(fast.test(input)).toBe(linear.test(input));
      }
    }
  });

  it('still refuses what RE2 refuses, even for native-safe shapes', () => {
    expect(() => compileLinearPattern('^a(?=b)')).toThrow();
  });
});
