/**
 * A strict JSON parser for submitted documents. JSON.parse silently keeps the last of duplicate
 * keys and turns 1e400 into Infinity, so two parsers could read one text differently and the
 * stored hash could disagree with what a client sees; this one refuses such text instead.
 */
import { pointerToken } from '../json-pointer';
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

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const SURROGATES_FROM = 0xd800;
const SURROGATES_TO = 0xdfff;
/** After a backslash: the one-character escapes JSON allows (`u` is checked on its own). */
const SIMPLE_ESCAPES = new Set([0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74]);

const isSpace = (code: number): boolean => code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
const isDigit = (code: number): boolean => code >= 0x30 && code <= 0x39;
const isHex = (code: number): boolean =>
  isDigit(code) || (code >= 0x41 && code <= 0x46) || (code >= 0x61 && code <= 0x66);

/**
 * Checks the text in one pass, in document order, against everything JSON.parse lets through
 * (duplicate keys, numbers it would round, lone surrogates, depth) and JSON's grammar; the value is
 * then built by JSON.parse, which reads any text that passed exactly as this grammar does (and keeps
 * `"__proto__"` an ordinary own key). Paths are built only for the issue, from a stack of segments.
 */
class Scanner {
  private index = 0;
  private readonly segments: (string | number)[] = [];

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {}

  scanDocument(): void {
    this.skipSpace();
    this.value(0);
    this.skipSpace();
    if (this.index < this.text.length) this.fail('INVALID_JSON', `unexpected text after the document`);
  }

  /** The path at fault is the stack's, plus `key` for a member whose key is not pushed yet. */
  private fail(code: StrictJsonIssueCode, message: string, key?: string): never {
    const segments = key === undefined ? this.segments : [...this.segments, key];
    const path = segments.map((segment) => `/${pointerToken(segment)}`).join('');
    throw new StrictJsonFailure({ code, path, message });
  }

  private skipSpace(): void {
    const { text } = this;
    while (this.index < text.length && isSpace(text.charCodeAt(this.index))) this.index += 1;
  }

  private expect(char: string, key?: string): void {
    if (this.text.charAt(this.index) !== char)
      this.fail('INVALID_JSON', `expected '${char}' at offset ${this.index}`, key);
    this.index += 1;
  }

  private value(depth: number): void {
    if (depth > this.maxDepth) this.fail('DOCUMENT_TOO_DEEP', `nesting deeper than ${this.maxDepth} levels`);
    const code = this.text.charCodeAt(this.index);
    if (code === 0x7b) this.object(depth);
    else if (code === 0x5b) this.array(depth);
    else if (code === QUOTE) this.string();
    else if (code === 0x2d || isDigit(code)) this.number();
    else this.literal();
  }

  private literal(): void {
    for (const word of ['true', 'false', 'null']) {
      if (this.text.startsWith(word, this.index)) {
        this.index += word.length;
        return;
      }
    }
    this.fail('INVALID_JSON', `unexpected character at offset ${this.index}`);
  }

  private object(depth: number): void {
    this.index += 1;
    this.skipSpace();
    if (this.text.charAt(this.index) === '}') {
      this.index += 1;
      return;
    }
    const seen = new Set<string>();
    for (;;) {
      this.skipSpace();
      const key = this.string();
      if (seen.has(key)) this.fail('DUPLICATE_KEY', 'the same key appears twice in one object', key);
      seen.add(key);
      this.skipSpace();
      this.expect(':', key);
      this.skipSpace();
      this.segments.push(key);
      this.value(depth + 1);
      this.segments.pop();
      this.skipSpace();
      if (this.text.charAt(this.index) === ',') {
        this.index += 1;
        continue;
      }
      this.expect('}');
      return;
    }
  }

  private array(depth: number): void {
    this.index += 1;
    this.skipSpace();
    if (this.text.charAt(this.index) === ']') {
      this.index += 1;
      return;
    }
    for (let length = 0; ; length += 1) {
      this.skipSpace();
      this.segments.push(length);
      this.value(depth + 1);
      this.segments.pop();
      this.skipSpace();
      if (this.text.charAt(this.index) === ',') {
        this.index += 1;
        continue;
      }
      this.expect(']');
      return;
    }
  }

  /** The string at the index, which must start there; returns its value. */
  private string(): string {
    const { text } = this;
    const start = this.index;
    if (text.charCodeAt(start) !== QUOTE) this.malformedString(start);
    let plain = true;
    let i = start + 1;
    for (;;) {
      if (i >= text.length) this.malformedString(start);
      const code = text.charCodeAt(i);
      if (code === QUOTE) break;
      if (code < 0x20) this.malformedString(start);
      if (code === BACKSLASH) {
        plain = false;
        const escaped = text.charCodeAt(i + 1);
        if (escaped === 0x75) {
          for (let h = i + 2; h < i + 6; h += 1) if (!isHex(text.charCodeAt(h))) this.malformedString(start);
          i += 6;
        } else if (SIMPLE_ESCAPES.has(escaped)) i += 2;
        else this.malformedString(start);
        continue;
      }
      if (code >= SURROGATES_FROM && code <= SURROGATES_TO) plain = false;
      i += 1;
    }
    this.index = i + 1;
    if (plain) return text.slice(start + 1, i);
    const value = JSON.parse(text.slice(start, i + 1)) as string;
    if (LONE_SURROGATE.test(value)) this.fail('INVALID_STRING', 'strings must be well-formed Unicode');
    return value;
  }

  private malformedString(start: number): never {
    return this.fail('INVALID_JSON', `malformed string at offset ${start}`);
  }

  private number(): void {
    const { text } = this;
    const start = this.index;
    let i = start;
    if (text.charCodeAt(i) === 0x2d) i += 1;
    if (text.charCodeAt(i) === 0x30) i += 1;
    else if (isDigit(text.charCodeAt(i))) while (isDigit(text.charCodeAt(i))) i += 1;
    else this.fail('INVALID_JSON', `malformed number at offset ${start}`);
    let integer = true;
    if (text.charCodeAt(i) === 0x2e && isDigit(text.charCodeAt(i + 1))) {
      integer = false;
      i += 1;
      while (isDigit(text.charCodeAt(i))) i += 1;
    }
    const e = text.charCodeAt(i);
    if (e === 0x65 || e === 0x45) {
      let digits = i + 1;
      const sign = text.charCodeAt(digits);
      if (sign === 0x2b || sign === 0x2d) digits += 1;
      if (isDigit(text.charCodeAt(digits))) {
        integer = false;
        i = digits;
        while (isDigit(text.charCodeAt(i))) i += 1;
      }
    }
    this.index = i;
    const value = Number(text.slice(start, i));
    if (!Number.isFinite(value) || (integer && !Number.isSafeInteger(value)))
      this.fail('NUMBER_OUT_OF_RANGE', 'numbers must be finite and integers within ±(2^53-1)');
  }
}

export function parseStrictJson(text: string, options: StrictJsonOptions = {}): StrictJsonResult {
  try {
    new Scanner(text, options.maxDepth ?? 256).scanDocument();
    return { ok: true, value: JSON.parse(text) as unknown };
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
