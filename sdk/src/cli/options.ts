/** Shared option parsing (node:util parseArgs) and input loading for every command. */
import { parseArgs } from 'node:util';
import { UsageError, type CliIo, type Command } from './command';

export const COMMON_OPTIONS = {
  format: { type: 'string', default: 'text' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export function parseCommandArgs(
  command: Command,
  argv: string[],
): { values: Record<string, unknown>; positionals: string[] } {
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

/** A JSON document from a local file the operator named; never a URL. */
export function readJsonFile(io: CliIo, path: string): unknown {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) throw new UsageError('inputs must be local files, not URLs');
  let text: string;
  try {
    text = io.readFile(path);
  } catch {
    throw new UsageError(`cannot read input file ${path}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UsageError(`input file ${path} is not valid JSON`);
  }
}
