import { tokenValue } from '../json-pointer';

/**
 * Line of a JSON Pointer in a JSON text, for annotations and SARIF regions. Best effort: when the
 * pointer goes past what the text holds (a removed property), the deepest existing ancestor's line.
 */
export function lineOfPointer(text: string, pointer: string): number | undefined {
  const segments = pointer === '' ? [] : pointer.slice(1).split('/').map(tokenValue);
  const scanner = new Scanner(text);
  scanner.space();
  let found = scanner.at;
  for (const segment of segments) {
    const next = scanner.enter(segment);
    if (next === undefined) break;
    found = next;
  }
  return text.slice(0, found).split('\n').length;
}

class Scanner {
  at = 0;
  constructor(private readonly text: string) {}

  space(): void {
    while (/\s/.test(this.text[this.at] ?? '')) this.at += 1;
  }

  /** From a container's start, moves to the member named `segment`; undefined when absent. */
  enter(segment: string): number | undefined {
    const open = this.text[this.at];
    if (open !== '{' && open !== '[') return undefined;
    this.at += 1;
    for (let index = 0; ; index += 1) {
      this.space();
      if (this.text[this.at] === '}' || this.text[this.at] === ']' || this.at >= this.text.length)
        return undefined;
      let key = String(index);
      if (open === '{') {
        key = this.string();
        this.space();
        this.at += 1; // ':'
        this.space();
      }
      if (key === segment) return this.at;
      this.skipValue();
      this.space();
      if (this.text[this.at] === ',') this.at += 1;
    }
  }

  private string(): string {
    const start = this.at;
    this.at += 1;
    while (this.at < this.text.length && this.text[this.at] !== '"')
      this.at += this.text[this.at] === '\\' ? 2 : 1;
    this.at += 1;
    try {
      return JSON.parse(this.text.slice(start, this.at)) as string;
    } catch {
      return '';
    }
  }

  private skipValue(): void {
    const first = this.text[this.at];
    if (first === '"') {
      this.string();
      return;
    }
    if (first !== '{' && first !== '[') {
      while (this.at < this.text.length && !/[\s,}\]]/.test(this.text[this.at] ?? '')) this.at += 1;
      return;
    }
    let depth = 0;
    do {
      const c = this.text[this.at];
      if (c === '"') {
        this.string();
        continue;
      }
      if (c === '{' || c === '[') depth += 1;
      if (c === '}' || c === ']') depth -= 1;
      this.at += 1;
    } while (depth > 0 && this.at < this.text.length);
  }
}
