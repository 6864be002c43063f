/** charter audit verify <export.jsonl> --public-key <pem> [--checkpoints <file>]: offline chain verification. */
import { type KeyObject } from 'node:crypto';
import { loadEd25519PublicKey, readCloudEventLines, verifyChain } from '../../audit';
import { EXIT, UsageError, type CliIo, type Command, type Outcome } from '../command';
import { readTextFile } from '../options';
import { headlineFor, statusOf } from '../report';

function publicKeys(io: CliIo, paths: unknown): KeyObject[] {
  const list = Array.isArray(paths) ? (paths as string[]) : [];
  if (list.length === 0) throw new UsageError('audit verify needs --public-key <ed25519-public.pem>');
  return list.map((path) => {
    try {
      return loadEd25519PublicKey(readTextFile(io, path));
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new UsageError(`${path} is not an Ed25519 public key (PEM)`, 'KEY_INVALID');
    }
  });
}

/** A JSON array of signed checkpoints, or one per line. */
function checkpoints(io: CliIo, path: unknown): unknown[] {
  if (typeof path !== 'string') return [];
  const text = readTextFile(io, path).trim();
  try {
    if (text.startsWith('[')) return JSON.parse(text) as unknown[];
    return text === ''
      ? []
      : text
          .split('\n')
          .filter((l) => l.trim() !== '')
          .map((l) => JSON.parse(l) as unknown);
  } catch {
    throw new UsageError(`${path} is not a JSON array or JSON lines of checkpoints`, 'INPUT_NOT_JSON');
  }
}

/** 1-based line of the n-th non-blank line: where event `seq` sits in an intact export. */
function lineOfRecord(lines: readonly string[], n: number): number | undefined {
  let seen = 0;
  for (const [i, line] of lines.entries()) if (line.trim() !== '' && ++seen === n) return i + 1;
  return undefined;
}

async function verify(file: string, lines: string[], keys: KeyObject[], signed: unknown[]): Promise<Outcome> {
  const result = await verifyChain(readCloudEventLines(lines), { publicKeys: keys, checkpoints: signed });
  const exitCode = result.ok ? EXIT.ok : EXIT.failed;
  const status = statusOf(exitCode);
  if (result.ok) {
    const text = `${result.eventsVerified} event(s) verified, anchored by signed checkpoints through seq ${result.anchoredThrough}`;
    const unanchored =
      result.unanchoredEvents > 0
        ? [
            `${result.unanchoredEvents} event(s) after the last checkpoint: a truncation there is not detectable`,
          ]
        : [];
    return {
      exitCode,
      report: {
        command: 'audit verify',
        status,
        headline: headlineFor(status, text),
        lines: unanchored,
        findings: [],
        data: { file, result },
      },
    };
  }
  const line = lineOfRecord(lines, result.seq);
  return {
    exitCode,
    report: {
      command: 'audit verify',
      status,
      headline: headlineFor(status, `the audit chain fails at seq ${result.seq}: ${result.code}`),
      lines: [result.message],
      findings: [
        {
          ruleId: result.code,
          level: 'error',
          title: `${result.code} at seq ${result.seq}`,
          message: result.message,
          file,
          pointer: '',
          ...(line !== undefined ? { line } : {}),
          category: 'audit',
        },
      ],
      data: { file, result },
    },
  };
}

export const auditCommand: Command = {
  name: 'audit',
  summary: 'verify an audit export offline: hash chain and signed checkpoints',
  usage:
    'charter audit verify <export.jsonl> --public-key <ed25519.pem> [--public-key ...] [--checkpoints <file>] [--format ...]',
  options: { 'public-key': { type: 'string', multiple: true }, checkpoints: { type: 'string' } },
  run({ values, positionals }, io) {
    if (positionals[0] !== 'verify' || positionals.length !== 2)
      throw new UsageError('usage: charter audit verify <export.jsonl> --public-key <pem>');
    const file = positionals[1] as string;
    const keys = publicKeys(io, values['public-key']);
    const signed = checkpoints(io, values.checkpoints);
    return verify(file, readTextFile(io, file).split('\n'), keys, signed);
  },
};
