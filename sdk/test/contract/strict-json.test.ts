import fc from 'fast-check';
import { parseStrictJson } from '../../src/contract/strict-json';

describe('parseStrictJson', () => {
  it.each([
    '{"a":[1,2.5,-0.25e-3,true,false,null,"x\\u00e9\\n"],"b":{}}',
    '[]',
    '  "text"  ',
    '{"emoji":"\\ud83d\\ude00","raw":"😀"}',
  ])('reads %s exactly as JSON.parse does', (text) => {
    expect(parseStrictJson(text)).toEqual({ ok: true, value: JSON.parse(text) });
  });

  it('keeps "__proto__" as a plain own key and leaves Object.prototype alone', () => {
    const result = parseStrictJson('{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}');
    expect(result.ok).toBe(true);
    const value = (result as { value: Record<string, unknown> }).value;
    expect(Object.keys(value)).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['{"a":1,"a":2}', 'DUPLICATE_KEY', '/a'],
    ['{"x":{"b":1,"b":1}}', 'DUPLICATE_KEY', '/x/b'],
    ['{"n":1e400}', 'NUMBER_OUT_OF_RANGE', '/n'],
    ['{"n":9007199254740993}', 'NUMBER_OUT_OF_RANGE', '/n'],
    ['{"s":"\\ud800"}', 'INVALID_STRING', '/s'],
    ['{"s":"a\u0001b"}', 'INVALID_JSON', '/s'],
    ['{"a":1,}', 'INVALID_JSON', ''],
    ["{'a':1}", 'INVALID_JSON', ''],
    ['{"a":01}', 'INVALID_JSON', ''],
    ['[1] x', 'INVALID_JSON', ''],
    ['[NaN]', 'INVALID_JSON', '/0'],
    ['{"a":1,"\\u0061":2}', 'DUPLICATE_KEY', '/a'],
    ['{"a/b":{"c~":1,"c~":2}}', 'DUPLICATE_KEY', '/a~1b/c~0'],
    ['[1,{"x":[0,"\\ud800x"]}]', 'INVALID_STRING', '/1/x/1'],
    ['{"\\udc00":1}', 'INVALID_STRING', ''],
    ['[1,{"x" 1}]', 'INVALID_JSON', '/1/x'],
    ['[1,[2,]]', 'INVALID_JSON', '/1/1'],
    ['{"a":"\\x"}', 'INVALID_JSON', '/a'],
    ['{"a":-}', 'INVALID_JSON', '/a'],
    ['{"a":1.}', 'INVALID_JSON', ''],
    ['{"a":"open', 'INVALID_JSON', '/a'],
  ])('refuses %s with %s at %s', (text, code, path) => {
    expect(parseStrictJson(text)).toEqual({ ok: false, issue: expect.objectContaining({ code, path }) });
  });

  it('refuses documents nested deeper than the limit without overflowing the stack', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(parseStrictJson(deep)).toEqual({
      ok: false,
      issue: expect.objectContaining({ code: 'DOCUMENT_TOO_DEEP' }),
    });
    expect(parseStrictJson('[[[1]]]', { maxDepth: 2 })).toEqual({
      ok: false,
      issue: expect.objectContaining({ code: 'DOCUMENT_TOO_DEEP', path: '/0/0/0' }),
    });
  });

  it('reads what JSON.parse reads, or refuses it for a reason JSON.parse ignores', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (value, indent) => {
        const text = JSON.stringify(value, null, indent ? 2 : undefined);
        const result = parseStrictJson(text);
        if (result.ok) expect(result.value).toEqual(JSON.parse(text));
        else expect(['NUMBER_OUT_OF_RANGE', 'INVALID_STRING']).toContain(result.issue.code);
      }),
      { numRuns: 2000 },
    );
  });

  const PIECES = [
    '{',
    '}',
    '[',
    ']',
    ',',
    ':',
    ' ',
    '"a"',
    '"\\u00e9"',
    '"\\ud800"',
    '"\u0001"',
    '1',
    '-0',
    '01',
  ];
  const MORE = ['1e400', '1.', '-', '2e', '.5', 'true', 'tru', 'null', '"', '\\', '"\\x"', 'x', '\n'];

  it('never accepts a text JSON.parse refuses (it would reach JSON.parse), and never throws', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES, ...MORE), { maxLength: 30 }), (parts) => {
        const text = parts.join('');
        const result = parseStrictJson(text, { maxDepth: 4 });
        let parsed: { value: unknown } | undefined;
        try {
          parsed = { value: JSON.parse(text) as unknown };
        } catch {
          parsed = undefined;
        }
        // the first fault in document order decides the code, so it may be a range or a duplicate
        if (parsed === undefined) expect(result.ok).toBe(false);
        else if (result.ok) expect(result.value).toEqual(parsed.value);
      }),
      { numRuns: 20000 },
    );
  });
});
