import AjvCore from 'ajv/dist/core';
import { checkSchema, compileSchema, validationShapeKey } from '../../src/validation';
import { DEFAULT_SCHEMA_LIMITS } from '../../src/validation/schema-guard';

const codesOf = (result: { ok: boolean; issues?: readonly { code: string }[] }): string[] =>
  result.ok ? [] : (result.issues ?? []).map((issue) => issue.code);

/** Every kind of refusal compileSchema knows, plus schemas it accepts. */
const SCHEMAS: Record<string, unknown> = {
  valid: { type: 'object', description: 'an order', properties: { id: { type: 'string' } } },
  'valid draft-04': { $schema: 'http://json-schema.org/draft-04/schema#', type: 'string', title: 't' },
  'valid local ref': {
    type: 'object',
    $defs: { id: { type: 'string' } },
    properties: { a: { $ref: '#/$defs/id' } },
  },
  'unknown keyword': { type: 'string', maxLenght: 3 },
  'strict types': { properties: { a: { type: 'string' } }, required: ['a'], minLength: 1, type: 'object' },
  'strict tuples': { type: 'array', items: [{ type: 'string' }] },
  'unresolved ref': { properties: { a: { $ref: '#/$defs/missing' } } },
  'unresolved anchor': { properties: { a: { $ref: '#nowhere' } } },
  'external ref': { properties: { a: { $ref: 'https://example.com/s.json' } } },
  'bad annotation': { type: 'string', 'x-charter': { classification: 'secret' } },
  'unknown format': { type: 'string', format: 'no-such-format' },
  'invalid pattern': { type: 'string', pattern: '(a' },
  'meta-schema': { type: 'string', minLength: -1 },
  'non-string description': { type: 'string', description: 5 },
  dialect: { $schema: 'https://example.com/my-dialect', type: 'string' },
  'too deep': Array.from({ length: 80 }).reduce<unknown>((inner) => ({ not: inner }), {}),
};

describe('checkSchema', () => {
  it.each(Object.keys(SCHEMAS))('gives the verdict compileSchema gives: %s', (name) => {
    expect(codesOf(checkSchema(SCHEMAS[name]))).toEqual(codesOf(compileSchema(SCHEMAS[name])));
  });

  it('accepts exactly the valid schemas of the table', () => {
    const accepted = Object.keys(SCHEMAS).filter((name) => checkSchema(SCHEMAS[name]).ok);
    expect(accepted).toEqual(['valid', 'valid draft-04', 'valid local ref']);
  });

  it('does not compile or meta-validate a schema again when only its prose changed, and still checks the rest', () => {
    const compile = jest.spyOn(AjvCore.prototype, 'compile');
    const metaValidate = jest.spyOn(AjvCore.prototype, 'validateSchema');
    try {
      const version = (description: string, idType: string): unknown => ({
        type: 'object',
        description,
        properties: { id: { type: idType, title: `id ${description}`, $comment: description } },
      });
      expect(checkSchema(version('first wording', 'string')).ok).toBe(true);
      const compilesAfterFirst = compile.mock.calls.length;
      expect(compilesAfterFirst).toBeGreaterThan(0);
      const metaValidationsAfterFirst = metaValidate.mock.calls.length;
      expect(metaValidationsAfterFirst).toBeGreaterThan(0);
      expect(checkSchema(version('second wording', 'string')).ok).toBe(true);
      expect(compile.mock.calls.length).toBe(compilesAfterFirst);
      expect(metaValidate.mock.calls.length).toBe(metaValidationsAfterFirst);
      // the guard still runs on a known shape: its limits are the caller's
      expect(
        codesOf(
          checkSchema(version('second wording', 'string'), {
            limits: { ...DEFAULT_SCHEMA_LIMITS, maxDepth: 1 },
          }),
        ),
      ).toEqual(['SCHEMA_TOO_DEEP']);
      expect(codesOf(checkSchema(version('third wording', 'strin')))).toEqual(['SCHEMA_INVALID']);
      expect(checkSchema({ ...(version('x', 'string') as object), description: 7 }).ok).toBe(false);
    } finally {
      compile.mockRestore();
      metaValidate.mockRestore();
    }
  });
});

describe('validationShapeKey', () => {
  it('ignores the wording of titles, descriptions and comments at schema positions', () => {
    const a = { type: 'object', title: 'A', properties: { x: { type: 'string', description: 'one' } } };
    const b = { type: 'object', title: 'B', properties: { x: { type: 'string', description: 'two' } } };
    expect(validationShapeKey('2020-12', a)).toBe(validationShapeKey('2020-12', b));
    expect(validationShapeKey('2020-12', a)).not.toBe(validationShapeKey('draft-07', a));
  });

  it('keeps subschemas named like annotations, keyword order and everything ajv reads', () => {
    const named = (type: string): unknown => ({ properties: { description: { type } } });
    expect(validationShapeKey('2020-12', named('string'))).not.toBe(
      validationShapeKey('2020-12', named('number')),
    );
    expect(validationShapeKey('2020-12', { enum: ['a'], description: 'x' })).not.toBe(
      validationShapeKey('2020-12', { enum: ['b'], description: 'x' }),
    );
    expect(validationShapeKey('2020-12', { type: 'string', x: 1 })).not.toBe(
      validationShapeKey('2020-12', { x: 1, type: 'string' }),
    );
  });

  it('gives no key when a reference reads an annotation as a schema', () => {
    expect(validationShapeKey('2020-12', { description: 'd', $ref: '#/description' })).toBeUndefined();
    expect(validationShapeKey('2020-12', { $comment: 'd', not: { $ref: '#/%24comment' } })).toBeUndefined();
  });
});
