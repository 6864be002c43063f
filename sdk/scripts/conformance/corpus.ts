/** Corpus records (../shared/conformance/README.md), read at run time and never copied. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import type { CompatibilityMode, CompatibilityPolicy } from '../../src/compatibility';

export interface CorpusCase {
  id: string;
  draft?: string | null;
  original: unknown;
  update: unknown;
  mode: CompatibilityMode;
  policy: CompatibilityPolicy;
  compatible: boolean;
  history?: unknown[];
  examples?: unknown[];
}

/** Relative paths are taken from the directory npm was started in (the workspace runs in sdk/). */
export function resolveCorpus(path: string): string {
  return isAbsolute(path) ? path : resolve(process.env.INIT_CWD ?? process.cwd(), path);
}

export function corpusFiles(path: string): string[] {
  const full = resolveCorpus(path);
  if (!statSync(full).isDirectory()) return [full];
  return readdirSync(full)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((f) => join(full, f));
}

export function readCases(file: string): CorpusCase[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as CorpusCase);
}

export function historyOf(c: CorpusCase): unknown[] {
  return c.history !== undefined && c.history.length > 0 ? c.history : [c.original];
}

export function fileLabel(file: string): string {
  return basename(file);
}
