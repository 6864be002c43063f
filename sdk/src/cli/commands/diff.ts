/** charter diff <old> <new> [--mode BACKWARD] [--policy STRICT] [--format text|json] */
import {
  checkCompatibility,
  COMPATIBILITY_MODES,
  COMPATIBILITY_POLICIES,
  type Change,
  type CompatibilityResult,
} from '../../compatibility';
import { EXIT, UsageError, type CliIo, type Command } from '../command';
import { oneOf, readJsonFile } from '../options';
import { formatOf, jsonEnvelope } from '../output';

function changeLine(c: Change): string {
  const mark = c.breaking ? 'BREAKING' : c.unproven !== undefined ? 'UNPROVEN' : 'ok      ';
  const fix = c.fix !== undefined && c.breaking ? ` Fix: ${c.fix}.` : '';
  return `${mark} ${c.type} ${c.instancePath} (schema ${c.schemaPath || '/'}): ${c.message}${fix}`;
}

function textReport(result: CompatibilityResult): string {
  const head = `${result.verdict.toUpperCase()} under ${result.mode} (${result.policy})`;
  const reason =
    result.reason !== undefined ? [`reason: ${result.reason.code}: ${result.reason.message}`] : [];
  return [head, ...reason, ...result.changes.map(changeLine)].join('\n');
}

export const diffCommand: Command = {
  name: 'diff',
  summary: 'check whether a new schema version is compatible with an old one',
  usage: 'charter diff <old.json> <new.json> [--mode BACKWARD] [--policy STRICT] [--format text|json]',
  options: {
    mode: { type: 'string', default: 'BACKWARD' },
    policy: { type: 'string', default: 'STRICT' },
  },
  run({ values, positionals }, io: CliIo): number {
    if (positionals.length !== 2) throw new UsageError('diff needs exactly two files: <old> <new>');
    const format = formatOf(values.format);
    const mode = oneOf(values.mode, COMPATIBILITY_MODES, 'mode');
    const policy = oneOf(values.policy, COMPATIBILITY_POLICIES, 'policy');
    const [oldPath, newPath] = positionals as [string, string];
    const result = checkCompatibility({
      mode,
      policy,
      history: [readJsonFile(io, oldPath)],
      proposed: readJsonFile(io, newPath),
    });
    io.out(format === 'json' ? jsonEnvelope('diff', { result }) : textReport(result));
    if (result.verdict === 'compatible') return EXIT.ok;
    const inputProblem = ['REF_NOT_ALLOWED', 'REF_NOT_FOUND', 'INVALID_SCHEMA', 'INVALID_REQUEST'];
    return result.reason !== undefined && inputProblem.includes(result.reason.code)
      ? EXIT.usage
      : EXIT.failed;
  },
};
