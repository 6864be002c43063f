/** charter diff <old> <new> [--mode BACKWARD] [--policy STRICT] [--fail-on breaking] */
import { checkCompatibility, COMPATIBILITY_MODES, COMPATIBILITY_POLICIES } from '../../compatibility';
import { fromKernel, verdictOutcome } from '../changes';
import { EXIT, UsageError, type Command } from '../command';
import { failureOutcome } from '../failure';
import { FAIL_ON, FAIL_ON_OPTION, oneOf, readJsonFile, readTextFile } from '../options';

/** The engine refused the input itself (bad schema, unresolvable $ref): an input error. */
const INPUT_PROBLEMS = ['REF_NOT_ALLOWED', 'REF_NOT_FOUND', 'INVALID_SCHEMA', 'INVALID_REQUEST'];

export const diffCommand: Command = {
  name: 'diff',
  summary: 'check whether a new schema version is compatible with an old one (offline)',
  usage:
    'charter diff <old.json> <new.json> [--mode BACKWARD] [--policy STRICT] [--fail-on breaking|governance|never] [--format ...]',
  options: {
    mode: { type: 'string', default: 'BACKWARD' },
    policy: { type: 'string', default: 'STRICT' },
    ...FAIL_ON_OPTION,
  },
  run({ values, positionals }, io) {
    if (positionals.length !== 2) throw new UsageError('diff needs exactly two files: <old> <new>');
    const mode = oneOf(values.mode, COMPATIBILITY_MODES, 'mode');
    const policy = oneOf(values.policy, COMPATIBILITY_POLICIES, 'policy');
    const failOn = oneOf(values['fail-on'], FAIL_ON, 'fail-on');
    const [oldPath, newPath] = positionals as [string, string];
    const result = checkCompatibility({
      mode,
      policy,
      history: [readJsonFile(io, oldPath)],
      proposed: readJsonFile(io, newPath),
    });
    if (result.reason !== undefined && INPUT_PROBLEMS.includes(result.reason.code)) {
      const failed = failureOutcome('diff', new UsageError(result.reason.message, result.reason.code));
      return { ...failed, exitCode: EXIT.usage };
    }
    const at = { file: newPath, text: readTextFile(io, newPath), schemaPrefix: '' as const };
    return verdictOutcome('diff', fromKernel(result), failOn, at, { result });
  },
};
