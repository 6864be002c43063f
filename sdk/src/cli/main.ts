#!/usr/bin/env node
/** `charter` CLI entry point: dispatches to one command per file (see commands/index.ts). */
import { readFileSync } from 'node:fs';
import { EXIT, UsageError, type CliIo } from './command';
import { COMMANDS } from './commands';
import { parseCommandArgs } from './options';

function help(): string {
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}\n             ${c.usage}`);
  return [
    'usage: charter <command> [options]',
    '',
    'commands:',
    ...lines,
    '',
    'exit codes: 0 ok, 1 incompatible, 2 usage or input error',
  ].join('\n');
}

/** Runs one invocation; returns the exit code. Exposed for tests. */
export function runCli(argv: string[], io: CliIo): number {
  const [name, ...rest] = argv;
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    io.err(help());
    return name === undefined || name === '--help' || name === '-h' ? EXIT.ok : EXIT.usage;
  }
  try {
    const args = parseCommandArgs(command, rest);
    if (args.values.help === true) {
      io.out(command.usage);
      return EXIT.ok;
    }
    return command.run(args, io);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`charter ${command.name}: ${error.message}\nusage: ${command.usage}`);
    return EXIT.usage;
  }
}

const nodeIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  readFile: (path) => readFileSync(path, 'utf8'),
};

if (require.main === module) process.exitCode = runCli(process.argv.slice(2), nodeIo);
