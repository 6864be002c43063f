/** Shared option parsing (node:util parseArgs), credentials and input loading for every command. */
import { parseArgs } from 'node:util';
import { UsageError, type CliIo, type Command, type CommandArgs } from './command';

export const COMMON_OPTIONS = {
  format: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** For commands that talk to the registry. Prefer the environment: flags show in process lists. */
export const ONLINE_OPTIONS = {
  url: { type: 'string' },
  token: { type: 'string' },
} as const;

export const FAIL_ON_OPTION = { 'fail-on': { type: 'string', default: 'breaking' } } as const;
export const FAIL_ON = ['breaking', 'governance', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export function parseCommandArgs(command: Command, argv: string[]): CommandArgs {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...COMMON_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
    return { values, positionals };
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : 'invalid arguments');
  }
}

/** One of the allowed values, or a usage error naming the option (never echoing its value). */
export function oneOf<T extends string>(value: unknown, allowed: readonly T[], option: string): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${option} must be one of ${allowed.join(', ')}`);
}

/** Registry URL and token from flags, else CHARTER_URL / CHARTER_TOKEN. */
export function credentials(values: Record<string, unknown>, io: CliIo): { url: string; token: string } {
  const url = typeof values.url === 'string' ? values.url : io.env?.CHARTER_URL;
  const token = typeof values.token === 'string' ? values.token : io.env?.CHARTER_TOKEN;
  const missing = [
    ...(url ? [] : ['the registry URL (CHARTER_URL or --url)']),
    ...(token ? [] : ['an API key (CHARTER_TOKEN or --token)']),
  ];
  if (url === undefined || token === undefined || missing.length > 0)
    throw new UsageError(
      `this command talks to the registry and needs ${missing.join(' and ')}`,
      'NO_CREDENTIALS',
    );
  return { url, token };
}

/** Text of a local file the operator named; never a URL. */
export function readTextFile(io: CliIo, path: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path))
    throw new UsageError('inputs must be local files, not URLs', 'INPUT_URL');
  try {
    return io.readFile(path);
  } catch {
    throw new UsageError(`cannot read input file ${path}`, 'INPUT_UNREADABLE');
  }
}

/** A JSON document from a local file the operator named. */
export function readJsonFile(io: CliIo, path: string): unknown {
  const text = readTextFile(io, path);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UsageError(`input file ${path} is not valid JSON`, 'INPUT_NOT_JSON');
  }
}
