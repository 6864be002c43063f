/** What every `charter` command provides; main.ts only dispatches. */
import type { ParseArgsConfig } from 'node:util';

/** Exit codes: 0 ok, 1 policy failure (e.g. incompatible), 2 usage or input error. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  readFile: (path: string) => string;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run: (args: { values: Record<string, unknown>; positionals: string[] }, io: CliIo) => number;
}

/** A usage or input problem, reported with exit code 2. */
export class UsageError extends Error {}
