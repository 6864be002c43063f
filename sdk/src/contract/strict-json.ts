/**
 * A strict JSON parser for submitted documents. JSON.parse silently keeps the last of duplicate
 * keys and turns 1e400 into Infinity, so two parsers could read one text differently and the
 * stored hash could disagree with what a client sees; this one refuses such text instead.
 */
export type StrictJsonIssueCode =
  'INVALID_JSON' | 'DUPLICATE_KEY' | 'NUMBER_OUT_OF_RANGE' | 'INVALID_STRING' | 'DOCUMENT_TOO_DEEP';

export interface StrictJsonIssue {
  code: StrictJsonIssueCode;
  /** JSON Pointer of the value at fault ('' for the document). */
  path: string;
  message: string;
}

export type StrictJsonResult = { ok: true; value: unknown } | { ok: false; issue: StrictJsonIssue };

export interface StrictJsonOptions {
  maxDepth?: number;
}

class StrictJsonFailure extends Error {
  constructor(readonly issue: StrictJsonIssue) {
    super(issue.message);
  }
}

const pointerSegment = (key: string | number): string => String(key).replace(/~/g, '~0').replace(/\//g, '~1');
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

class Parser {
  private index = 0;

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {}

  parseDocument(): unknown {
    this.skipSpace();
    const value = this.value('', 0);
    this.skipSpace();
    if (this.index < this.text.length) this.fail('INVALID_JSON', '', 'unexpected text after the document');
    return value;
  }

  private fail(code: StrictJsonIssueCode, path: string, message: string): never {
    throw new StrictJsonFailure({ code, path, message });
  }

  private skipSpace(): void {
    while (this.index < this.text.length && ' \t\n\r'.includes(this.text.charAt(this.index))) this.index += 1;
  }

  private expect(char: string, path: string): void {
    if (this.text.charAt(this.index) !== char) {
      this.fail('INVALID_JSON', path, `expected '${char}' at offset ${this.index}`);
    }
    this.index += 1;
  }

  private value(path: string, depth: number): unknown {
    if (depth > this.maxDepth)
      this.fail('DOCUMENT_TOO_DEEP', path, `nesting deeper than ${this.maxDepth} levels`);
    const char = this.text.charAt(this.index);
    if (char === '{') return this.object(path, depth);
    if (char === '[') return this.array(path, depth);
    if (char === '"') return this.string(path);
    if (char === '-' || (char >= '0' && char <= '9')) return this.number(path);
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.text.startsWith(word, this.index)) {
        this.index += word.length;
        return value;
      }
    }
    return this.fail('INVALID_JSON', path, `unexpected character at offset ${this.index}`);
  }

  private object(path: string, depth: number): Record<string, unknown> {
    this.index += 1;
    const result: Record<string, unknown> = {};
    const seen = new Set<string>();
    this.skipSpace();
    if (this.text.charAt(this.index) === '}') {
      this.index += 1;
      return result;
    }
    for (;;) {
      this.skipSpace();
      const key = this.string(path);
      const memberPath = `${path}/${pointerSegment(key)}`;
      if (seen.has(key)) this.fail('DUPLICATE_KEY', memberPath, 'the same key appears twice in one object');
      seen.add(key);
      this.skipSpace();
      this.expect(':', memberPath);
      this.skipSpace();
      // defineProperty keeps "__proto__" an ordinary own key, as JSON.parse does.
      Object.defineProperty(result, key, {
        value: this.value(memberPath, depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      this.skipSpace();
      if (this.text.charAt(this.index) === ',') {
        this.index += 1;
        continue;
      }
      this.expect('}', path);
      return result;
    }
  }

  private array(path: string, depth: number): unknown[] {
    this.index += 1;
    const result: unknown[] = [];
    this.skipSpace();
    if (this.text.charAt(this.index) === ']') {
      this.index += 1;
      return result;
    }
    for (;;) {
      this.skipSpace();
      result.push(this.value(`${path}/${result.length}`, depth + 1));
      this.skipSpace();
      if (this.text.charAt(this.index) === ',') {
        this.index += 1;
        continue;
      }
      this.expect(']', path);
      return result;
    }
  }

  private string(path: string): string {
    // eslint-disable-next-line no-control-regex -- JSON forbids raw control characters in strings; this refuses them
    const match = /^"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/.exec(
      this.text.slice(this.index),
    );
    if (!match) return this.fail('INVALID_JSON', path, `malformed string at offset ${this.index}`);
    this.index += match[0].length;
    const value = JSON.parse(match[0]) as string;
    if (LONE_SURROGATE.test(value)) this.fail('INVALID_STRING', path, 'strings must be well-formed Unicode');
    return value;
  }

  private number(path: string): number {
    const match = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.index));
    if (!match) return this.fail('INVALID_JSON', path, `malformed number at offset ${this.index}`);
    this.index += match[0].length;
    const value = Number(match[0]);
    const isIntegerLiteral = match[1] === undefined && match[2] === undefined;
    if (!Number.isFinite(value) || (isIntegerLiteral && !Number.isSafeInteger(value))) {
      this.fail('NUMBER_OUT_OF_RANGE', path, 'numbers must be finite and integers within ±(2^53-1)');
    }
    return value;
  }
}

export function parseStrictJson(text: string, options: StrictJsonOptions = {}): StrictJsonResult {
  try {
    return { ok: true, value: new Parser(text, options.maxDepth ?? 256).parseDocument() };
  } catch (error) {
    if (error instanceof StrictJsonFailure) return { ok: false, issue: error.issue };
    if (error instanceof RangeError) {
      return {
        ok: false,
        issue: { code: 'DOCUMENT_TOO_DEEP', path: '', message: 'the document nests too deeply' },
      };
    }
    throw error;
  }
}
