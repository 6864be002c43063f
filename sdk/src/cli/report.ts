/** The one report every command produces; each output format renders it (formats/). */
import type { ExitCode } from './command';

export type Status = 'pass' | 'fail' | 'error';
export type Level = 'error' | 'warning' | 'note';

/** One change or issue, located in an input file. */
export interface Finding {
  /** Stable code: a change type (TYPE_NARROWED) or an issue code (SCHEMA_TYPE). */
  ruleId: string;
  /** error: fails under the chosen --fail-on; warning and note do not. */
  level: Level;
  /** Short label for annotation titles and test-case names. */
  title: string;
  message: string;
  file: string;
  /** JSON Pointer inside `file` ('' is the document). */
  pointer: string;
  /** 1-based line in `file`, when known. */
  line?: number;
  category?: string;
  fix?: string;
}

export interface Report {
  command: string;
  status: Status;
  /** One line for people; starts with PASS, FAIL or ERROR so it can never contradict the exit code. */
  headline: string;
  /** Further lines of the text format. */
  lines: string[];
  findings: Finding[];
  /** The command's own payload in the json format (stable, versioned by the envelope). */
  data: Record<string, unknown>;
  error?: { code: string; message: string };
}

const STATUS_OF: Record<ExitCode, Status> = { 0: 'pass', 1: 'fail', 2: 'error', 3: 'error' };

export function statusOf(exitCode: ExitCode): Status {
  return STATUS_OF[exitCode];
}

export function headlineFor(status: Status, text: string): string {
  return `${status.toUpperCase()}: ${text}`;
}
