/** What every `charter` command provides; main.ts only dispatches and renders. */
import type { ParseArgsConfig } from 'node:util';
import type { FetchLike } from '../client';
import type { Report } from './report';

/** 0 pass, 1 the change or data fails the policy, 2 usage or input error, 3 registry unreachable, auth or internal. */
export const EXIT = { ok: 0, failed: 1, usage: 2, unavailable: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  readFile: (path: string) => string;
  /** The environment the CLI reads (CHARTER_URL, CHARTER_TOKEN, GITHUB_ACTIONS, ...); none when absent. */
  env?: Readonly<Record<string, string | undefined>>;
  fetch?: FetchLike;
  /** Appends to a file; used for `$GITHUB_STEP_SUMMARY`. */
  appendFile?: (path: string, text: string) => void;
  /** Replaces a file's content; used for `audit verify --state`. */
  writeFile?: (path: string, text: string) => void;
}

export interface CommandArgs {
  values: Record<string, unknown>;
  positionals: string[];
}

export interface Outcome {
  report: Report;
  exitCode: ExitCode;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run: (args: CommandArgs, io: CliIo) => Outcome | Promise<Outcome>;
}

/** A usage or input problem, reported with exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly code = 'USAGE',
  ) {
    super(message);
  }
}
