/** Output formats, chosen by --format or, on GitHub Actions, automatically. */
import { UsageError, type CliIo } from '../command';
import type { Report } from '../report';
import { jobSummary, renderGithub } from './github';
import { renderJson } from './json';
import { renderJunit } from './junit';
import { renderSarif } from './sarif';
import { renderText } from './text';

export const OUTPUT_FORMATS = ['text', 'json', 'junit', 'sarif', 'github'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

const TOOL_VERSION = '0.1.0';

/** `--format` when given; `github` when running on GitHub Actions; else text. */
export function resolveFormat(value: unknown, env: CliIo['env']): OutputFormat {
  if (value === undefined) return env?.GITHUB_ACTIONS === 'true' ? 'github' : 'text';
  if (typeof value === 'string' && (OUTPUT_FORMATS as readonly string[]).includes(value))
    return value as OutputFormat;
  throw new UsageError(`--format must be one of ${OUTPUT_FORMATS.join(', ')}`);
}

/** Machine output on stdout; with `github`, the job summary goes to $GITHUB_STEP_SUMMARY when set. */
export function emit(report: Report, format: OutputFormat, io: CliIo): void {
  switch (format) {
    case 'text':
      (report.status === 'error' ? io.err : io.out)(renderText(report));
      return;
    case 'json':
      io.out(renderJson(report));
      return;
    case 'junit':
      io.out(renderJunit(report));
      return;
    case 'sarif':
      io.out(renderSarif(report, TOOL_VERSION));
      return;
    case 'github': {
      io.out(renderGithub(report));
      const summaryFile = io.env?.GITHUB_STEP_SUMMARY;
      if (summaryFile && io.appendFile) io.appendFile(summaryFile, jobSummary(report));
      return;
    }
  }
}
