/**
 * charter audit verify [<export.jsonl>] --public-key <pem> [--checkpoints <file>] [--state <file>]:
 * offline over an export file, or (without a file) against the service at CHARTER_URL: its export
 * and checkpoints are verified here with the public key, and its own verdict is reported beside.
 */
import { type KeyObject } from 'node:crypto';
import { type ChainVerification, loadEd25519PublicKey, readCloudEventLines, verifyChain } from '../../audit';
import { auditService, type ServerVerdict } from '../audit-online';
import {
  checkpointAt,
  distinctCheckpoints,
  readState,
  type SeenCheckpoint,
  writeState,
} from '../audit-state';
import { EXIT, UsageError, type CliIo, type Command, type Outcome } from '../command';
import { credentials, ONLINE_OPTIONS, readTextFile } from '../options';
import { type Finding, headlineFor, statusOf } from '../report';

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
function checkpointFile(io: CliIo, path: unknown): unknown[] {
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

interface Verified {
  /** The export file, or the service URL. */
  readonly source: string;
  readonly result: ChainVerification;
  readonly checkpoints: readonly unknown[];
  readonly line?: number;
  readonly server?: ServerVerdict;
}

function failureFinding(source: string, code: string, seq: number, message: string, line?: number): Finding {
  return {
    ruleId: code,
    level: 'error',
    title: `${code} at seq ${seq}`,
    message,
    file: source,
    pointer: '',
    ...(line !== undefined ? { line } : {}),
    category: 'audit',
  };
}

function serverLine(server: ServerVerdict | undefined): string[] {
  if (server === undefined) return [];
  return server.intact
    ? [
        `the service reports intact: ${server.eventsVerified} event(s), anchored through seq ${server.anchoredThrough}`,
      ]
    : [`the service reports ${server.failure?.code ?? 'a failure'} at seq ${server.failure?.seq ?? '?'}`];
}

/** Remembers the newest checkpoint this run verified, when it is newer than the remembered one. */
function remember(
  io: CliIo,
  statePath: unknown,
  known: SeenCheckpoint | undefined,
  verified: Verified,
): void {
  if (typeof statePath !== 'string' || !verified.result.ok) return;
  const anchor = checkpointAt(verified.checkpoints, verified.result.anchoredThrough);
  if (anchor !== undefined && anchor.seq > (known?.seq ?? -1)) writeState(io, statePath, anchor);
}

function outcomeOf(verified: Verified): Outcome {
  const { source, result, server } = verified;
  const data = { source, result, ...(server !== undefined && { server }) };
  if (!result.ok) {
    const status = statusOf(EXIT.failed);
    return {
      exitCode: EXIT.failed,
      report: {
        command: 'audit verify',
        status,
        headline: headlineFor(status, `the audit chain fails at seq ${result.seq}: ${result.code}`),
        lines: [result.message, ...serverLine(server)],
        findings: [failureFinding(source, result.code, result.seq, result.message, verified.line)],
        data,
      },
    };
  }
  const unanchored =
    result.unanchoredEvents > 0
      ? [
          `${result.unanchoredEvents} event(s) after the last checkpoint: a truncation there is not detectable`,
        ]
      : [];
  const text = `${result.eventsVerified} event(s) verified, anchored by signed checkpoints through seq ${result.anchoredThrough}`;
  if (server !== undefined && !server.intact) {
    // Our copy verifies but the service's own walk does not: someone must look either way.
    const status = statusOf(EXIT.failed);
    const failure = server.failure ?? { seq: 0, code: 'SERVER_NOT_INTACT', message: 'no detail given' };
    return {
      exitCode: EXIT.failed,
      report: {
        command: 'audit verify',
        status,
        headline: headlineFor(
          status,
          `${text} locally, but the service reports ${failure.code} at seq ${failure.seq}`,
        ),
        lines: [failure.message, ...unanchored],
        findings: [
          failureFinding(source, failure.code, failure.seq, `the service reports: ${failure.message}`),
        ],
        data,
      },
    };
  }
  const status = statusOf(EXIT.ok);
  return {
    exitCode: EXIT.ok,
    report: {
      command: 'audit verify',
      status,
      headline: headlineFor(
        status,
        server === undefined ? text : `${text} (verified locally; the service agrees)`,
      ),
      lines: [...unanchored, ...serverLine(server)],
      findings: [],
      data,
    },
  };
}

async function offline(
  io: CliIo,
  file: string,
  keys: KeyObject[],
  signed: unknown[],
  seen: SeenCheckpoint | undefined,
): Promise<Verified> {
  const lines = readTextFile(io, file).split('\n');
  const result = await verifyChain(readCloudEventLines(lines), {
    publicKeys: keys,
    checkpoints: signed,
    ...(seen !== undefined && { lastSeenCheckpoint: seen }),
  });
  const line = result.ok ? undefined : lineOfRecord(lines, result.seq);
  return { source: file, result, checkpoints: signed, ...(line !== undefined && { line }) };
}

async function online(
  io: CliIo,
  values: Record<string, unknown>,
  keys: KeyObject[],
  fromFile: unknown[],
  seen: SeenCheckpoint | undefined,
): Promise<Verified> {
  const { url, token } = credentials(values, io);
  const service = auditService({ url, token, ...(io.fetch ? { fetch: io.fetch } : {}) });
  // Checkpoints the operator holds outside the service first; the service's are checked all the same.
  const signed = distinctCheckpoints([...fromFile, ...(await service.checkpoints())]);
  const result = await verifyChain(readCloudEventLines(service.exportLines()), {
    publicKeys: keys,
    checkpoints: signed,
    ...(seen !== undefined && { lastSeenCheckpoint: seen }),
  });
  return { source: url, result, checkpoints: signed, server: await service.verdict() };
}

export const auditCommand: Command = {
  name: 'audit',
  summary:
    'verify the audit chain and signed checkpoints: of an export file, or of the service (verified locally)',
  usage:
    'charter audit verify [<export.jsonl>] --public-key <ed25519.pem> [--public-key ...] [--checkpoints <file>] [--state <file>] [--format ...]',
  options: {
    'public-key': { type: 'string', multiple: true },
    checkpoints: { type: 'string' },
    state: { type: 'string' },
    ...ONLINE_OPTIONS,
  },
  async run({ values, positionals }, io): Promise<Outcome> {
    if (positionals[0] !== 'verify' || positionals.length > 2)
      throw new UsageError('usage: charter audit verify [<export.jsonl>] --public-key <pem>');
    const keys = publicKeys(io, values['public-key']);
    const fromFile = checkpointFile(io, values.checkpoints);
    const seen = typeof values.state === 'string' ? readState(io, values.state) : undefined;
    const file = positionals[1];
    const verified =
      file === undefined
        ? await online(io, values, keys, fromFile, seen)
        : await offline(io, file, keys, distinctCheckpoints(fromFile), seen);
    remember(io, values.state, seen, verified);
    return outcomeOf(verified);
  },
};
