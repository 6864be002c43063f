import type { Finding, Report } from '../report';

/** Message escaping of the workflow-command spec (as @actions/core's escapeData). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Property escaping of the workflow-command spec (as @actions/core's escapeProperty). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const COMMAND_OF = { error: 'error', warning: 'warning', note: 'notice' } as const;

export function annotation(finding: Finding): string {
  const properties = [
    `file=${escapeProperty(finding.file)}`,
    ...(finding.line !== undefined ? [`line=${finding.line}`] : []),
    `title=${escapeProperty(finding.title)}`,
  ].join(',');
  const message = finding.fix ? `${finding.message}\nFix: ${finding.fix}` : finding.message;
  return `::${COMMAND_OF[finding.level]} ${properties}::${escapeData(message)}`;
}

/** Markdown table cells: no pipes, no line breaks, no raw HTML. */
const cell = (text: string): string =>
  text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/\r?\n/g, ' ');

/** The job summary: the headline, then a table of findings. */
export function jobSummary(report: Report): string {
  const rows = report.findings.map(
    (f) =>
      `| ${f.level} | \`${cell(f.ruleId)}\` | ${cell(f.file)}${f.line !== undefined ? `:${f.line}` : ''} \`${cell(f.pointer || '/')}\` | ${cell(f.message)} |`,
  );
  const table =
    rows.length > 0 ? ['', '| level | rule | where | message |', '| --- | --- | --- | --- |', ...rows] : [];
  return [`### charter ${report.command}`, '', cell(report.headline), ...table, ''].join('\n');
}

/** Workflow annotations on stdout, one per finding, then the headline as a plain log line. */
export function renderGithub(report: Report): string {
  const lines = report.findings.map(annotation);
  if (report.error)
    lines.push(
      `::error title=${escapeProperty(`charter ${report.command}`)}::${escapeData(report.error.message)}`,
    );
  lines.push(report.headline);
  return lines.join('\n');
}
