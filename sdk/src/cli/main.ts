#!/usr/bin/env node
/** `charter` CLI entry point: dispatches to one command per file (see commands/index.ts). */
import { appendFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { EXIT, type CliIo, type Command, type Outcome } from './command';
import { COMMANDS } from './commands';
import { failureOutcome } from './failure';
import { emit, type OutputFormat, resolveFormat } from './formats';
import { parseCommandArgs } from './options';

function help(): string {
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}\n             ${c.usage}`);
  return [
    'usage: charter <command> [options]',
    '',
    'commands:',
    ...lines,
    '',
    'options: --format text|json|junit|sarif|github (github by default when GITHUB_ACTIONS=true)',
    'online commands read CHARTER_URL and CHARTER_TOKEN (or --url, --token)',
    'exit codes: 0 pass, 1 fails the policy (--fail-on), 2 usage or input error,',
    '            3 registry unreachable, authentication or internal error',
  ].join('\n');
}

function finish(command: Command, format: OutputFormat, outcome: Outcome, io: CliIo): number {
  emit(outcome.report, format, io);
  // Text errors are already on stderr; machine formats keep stdout parseable, so say it there too.
  if (outcome.report.error && format !== 'text') io.err(outcome.report.headline);
  if (outcome.exitCode === EXIT.usage && outcome.report.error?.code === 'USAGE')
    io.err(`usage: ${command.usage}`);
  return outcome.exitCode;
}

/**
 * Runs one invocation and returns the exit code: synchronously for offline commands that need no
 * I/O beyond files (diff, check --against, validate), else a promise.
 */
export function runCli(argv: string[], io: CliIo): number | Promise<number> {
  const [name, ...rest] = argv;
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    io.err(help());
    return name === undefined || name === '--help' || name === '-h' ? EXIT.ok : EXIT.usage;
  }
  let format: OutputFormat = 'text';
  try {
    const args = parseCommandArgs(command, rest);
    format = resolveFormat(args.values.format, io.env);
    if (args.values.help === true) {
      io.out(command.usage);
      return EXIT.ok;
    }
    const outcome = command.run(args, io);
    if (!(outcome instanceof Promise)) return finish(command, format, outcome, io);
    return outcome.then(
      (done) => finish(command, format, done, io),
      (error: unknown) => finish(command, format, failureOutcome(command.name, error), io),
    );
  } catch (error) {
    return finish(command, format, failureOutcome(command.name, error), io);
  }
}

const nodeIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  readFile: (path) => readFileSync(path, 'utf8'),
  env: process.env,
  appendFile: (path, text) => {
    appendFileSync(path, text);
  },
  writeFile: (path, text) => {
    // whole or not at all: a crash mid-write must not leave a state that resets what was seen
    writeFileSync(`${path}.tmp`, text);
    renameSync(`${path}.tmp`, path);
  },
};

if (require.main === module) {
  void Promise.resolve(runCli(process.argv.slice(2), nodeIo)).then((code) => {
    process.exitCode = code;
  });
}
