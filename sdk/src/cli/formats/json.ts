import type { Report } from '../report';

export const JSON_FORMAT_VERSION = 1;

/**
 * Stable envelope: `{ version: 1, command, status, ...payload }` (or `error` instead of the
 * payload). Bump the version on any incompatible change of a command's payload.
 */
export function renderJson(report: Report): string {
  const body = report.error ? { error: report.error } : report.data;
  return JSON.stringify(
    { version: JSON_FORMAT_VERSION, command: report.command, status: report.status, ...body },
    null,
    2,
  );
}
