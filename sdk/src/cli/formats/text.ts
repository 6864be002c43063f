import type { Report } from '../report';

/** The headline, then the command's own detail lines. */
export function renderText(report: Report): string {
  return [report.headline, ...report.lines].join('\n');
}
