/** Shared output formatting: text lines for people, versioned JSON for machines. */
import { UsageError } from './command';

export const OUTPUT_FORMATS = ['text', 'json'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Stable JSON envelope; bump `version` on any incompatible change of a command's payload. */
export function jsonEnvelope(command: string, payload: object): string {
  return JSON.stringify({ version: 1, command, ...payload }, null, 2);
}

export function formatOf(value: unknown): OutputFormat {
  if (value === 'text' || value === 'json') return value;
  throw new UsageError(`--format must be one of ${OUTPUT_FORMATS.join(', ')}`);
}
