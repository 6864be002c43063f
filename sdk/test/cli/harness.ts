import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CliIo } from '../../src/cli/command';
import { runCli } from '../../src/cli/main';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** What was appended per file (the GitHub job summary). */
  appended: Record<string, string>;
}

/** Runs the CLI in-process with real files and a controlled environment (no ambient GITHUB_ACTIONS). */
export async function charter(
  argv: string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const appended: Record<string, string> = {};
  const io: CliIo = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    readFile: (p) => readFileSync(options.cwd ? join(options.cwd, p) : p, 'utf8'),
    env: options.env ?? {},
    appendFile: (p, t) => {
      appended[p] = (appended[p] ?? '') + t;
    },
  };
  const code = await runCli(argv, io);
  return { code, stdout: out.join('\n'), stderr: err.join('\n'), appended };
}

/** A scratch folder holding the given files (objects written as pretty JSON, strings as is). */
export function workspace(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'charter-cli-'));
  for (const [name, content] of Object.entries(files))
    writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return dir;
}

export const contract = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'charter/v1',
  kind: 'DataContract',
  metadata: { owner: 'team-payments' },
  schema: { type: 'object', properties, required: ['id'], additionalProperties: false },
  ...extra,
});

const id = { type: 'string', maxLength: 64 };
const email = { type: 'string', maxLength: 100, 'x-charter': { tags: ['pii:email'] } };

/** v1; v2 adds an optional field (compatible); v3 makes id an integer (breaking); v4 drops a PII tag (governance). */
export const CONTRACTS = {
  'v1.json': contract({ id, email }),
  'v2.json': contract({ id, email, note: { type: 'string', maxLength: 10 } }),
  'v3.json': contract({ id: { type: 'integer' }, email }),
  'v4.json': contract({ id, email: { type: 'string', maxLength: 100 } }),
  'invalid.json': {
    apiVersion: 'charter/v1',
    kind: 'DataContract',
    schema: { type: 'object', properties: { a: { type: 'strnig' } } },
  },
  'notjson.json': '{ "apiVersion": ',
};
