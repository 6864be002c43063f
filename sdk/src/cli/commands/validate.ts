/** charter validate <contract-file|domain.product> <payload.json|payloads.jsonl> [--version N|latest] */
import { createCharterClient } from '../../client';
import { prepareContract } from '../../contract';
import { parseProductRef } from '../../naming';
import { type ContractValidator, createValidator, type ValidationResult } from '../../validation';
import { invalidContractOutcome } from '../changes';
import { EXIT, UsageError, type CliIo, type Command, type Outcome } from '../command';
import { lineOfPointer } from '../locate';
import { credentials, ONLINE_OPTIONS, readJsonFile, readTextFile } from '../options';
import { type Finding, headlineFor, statusOf } from '../report';

interface PayloadResult {
  /** 1-based line of a JSONL record; absent for a single JSON document. */
  line?: number;
  result: ValidationResult;
}

type Payloads =
  | { kind: 'document'; text: string; value: unknown }
  | { kind: 'lines'; lines: { line: number; text: string }[] };

const NOT_JSON: ValidationResult = {
  ok: false,
  issues: [{ path: '', code: 'PAYLOAD_NOT_JSON', message: 'the line is not valid JSON', severity: 'error' }],
};

function readPayloads(io: CliIo, path: string): Payloads {
  if (!/\.(jsonl|ndjson)$/i.test(path))
    return { kind: 'document', text: readTextFile(io, path), value: readJsonFile(io, path) };
  const lines = readTextFile(io, path)
    .split('\n')
    .map((text, i) => ({ line: i + 1, text }))
    .filter((entry) => entry.text.trim() !== '');
  return { kind: 'lines', lines };
}

function validateAll(validator: ContractValidator, payloads: Payloads): PayloadResult[] {
  if (payloads.kind === 'document') return [{ result: validator.validate(payloads.value) }];
  return payloads.lines.map(({ line, text }) => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return { line, result: NOT_JSON };
    }
    return { line, result: validator.validate(value) };
  });
}

function findingsOf(results: PayloadResult[], file: string, payloads: Payloads): Finding[] {
  return results.flatMap(({ line, result }) =>
    (result.issues ?? []).map((issue) => {
      const at =
        line ?? (payloads.kind === 'document' ? lineOfPointer(payloads.text, issue.path) : undefined);
      return {
        ruleId: issue.code,
        level: issue.severity === 'error' ? ('error' as const) : ('warning' as const),
        title: `${line !== undefined ? `line ${line}: ` : ''}${issue.code} at ${issue.path || '/'}`,
        message: issue.rule ? `${issue.message} (rule ${issue.rule})` : issue.message,
        file,
        pointer: issue.path,
        ...(at !== undefined ? { line: at } : {}),
        category: issue.rule ? 'quality' : 'schema',
      };
    }),
  );
}

function outcome(
  contract: string,
  offline: boolean,
  file: string,
  payloads: Payloads,
  validator: ContractValidator,
): Outcome {
  const results = validateAll(validator, payloads);
  const invalid = results.filter((r) => !r.result.ok).length;
  const exitCode = invalid > 0 ? EXIT.failed : EXIT.ok;
  const status = statusOf(exitCode);
  const text =
    invalid > 0
      ? `${invalid} of ${results.length} payload(s) invalid against ${contract}`
      : `${results.length} payload(s) valid against ${contract}`;
  const lines = results.flatMap(({ line, result }) => [
    ...(result.ok && !result.issues
      ? []
      : [`${line !== undefined ? `line ${line}` : file}: ${result.ok ? 'valid with warnings' : 'INVALID'}`]),
    ...(result.issues ?? []).map(
      (i) =>
        `  ${i.severity.toUpperCase()} ${i.code} ${i.path || '/'}${i.rule ? ` [${i.rule}]` : ''}: ${i.message}`,
    ),
  ]);
  return {
    exitCode,
    report: {
      command: 'validate',
      status,
      headline: headlineFor(status, text),
      lines,
      findings: findingsOf(results, file, payloads),
      data: {
        contract,
        offline,
        total: results.length,
        valid: results.length - invalid,
        invalid,
        results: results.map(({ line, result }, index) => ({
          index,
          ...(line !== undefined ? { line } : {}),
          ...result,
        })),
      },
    },
  };
}

/** The contract argument is read as a local file when one exists; otherwise it names a product. */
function localContract(io: CliIo, target: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target))
    throw new UsageError('inputs must be local files, not URLs', 'INPUT_URL');
  try {
    return io.readFile(target);
  } catch {
    return undefined;
  }
}

function versionOf(value: unknown): number | 'latest' {
  if (value === undefined || value === 'latest') return 'latest';
  const n = typeof value === 'string' && /^[1-9][0-9]{0,8}$/.test(value) ? Number(value) : NaN;
  if (Number.isNaN(n)) throw new UsageError('--version must be a positive integer or latest');
  return n;
}

export const validateCommand: Command = {
  name: 'validate',
  summary: 'validate payloads against a local contract file or a registry product',
  usage:
    'charter validate <contract.json|domain.product> <payload.json|payloads.jsonl> [--version N|latest] [--format ...]',
  options: { version: { type: 'string' }, ...ONLINE_OPTIONS },
  run({ values, positionals }, io) {
    if (positionals.length !== 2) throw new UsageError('validate needs <contract-or-product> <payload-file>');
    const [target, file] = positionals as [string, string];
    const text = localContract(io, target);
    if (text !== undefined) {
      if (values.version !== undefined)
        throw new UsageError('--version applies to a registry product, not a file');
      const prepared = prepareContract(text);
      if (!prepared.ok)
        return invalidContractOutcome('validate', prepared.issues, {
          file: target,
          text,
          schemaPrefix: '/schema',
        });
      const validator = createValidator(prepared.contract.document, { cache: false });
      return outcome(target, true, file, readPayloads(io, file), validator);
    }
    if (parseProductRef(target) === null)
      throw new UsageError(`cannot read contract file ${target}`, 'INPUT_UNREADABLE');
    const version = versionOf(values.version);
    const payloads = readPayloads(io, file);
    const client = createCharterClient({
      ...credentials(values, io),
      ...(io.fetch ? { fetch: io.fetch } : {}),
    });
    return client
      .validator(target, version)
      .then((validator) => outcome(target, false, file, payloads, validator));
  },
};
