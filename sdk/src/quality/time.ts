/** Strict RFC 3339 date or date-time; Date.parse alone accepts far too much. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:[Zz]|[+-]\d{2}:\d{2}))?$/;

/** Epoch milliseconds of an RFC 3339 date or date-time, or NaN. Dates alone are UTC midnight. */
export function parseInstant(value: unknown): number {
  if (typeof value !== 'string' || value.length > 40 || !RFC3339.test(value)) return Number.NaN;
  return Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
}

const DURATION = /^P(?:(\d+)W|(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?)$/;

/** Milliseconds of an ISO 8601 duration in weeks, days, hours, minutes, seconds; NaN otherwise. */
export function parseDuration(text: string): number {
  const match = DURATION.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) return Number.NaN;
  const [weeks, days, hours, minutes, seconds] = match.slice(1).map((part) => (part ? Number(part) : 0));
  return (
    (weeks ?? 0) * 604_800_000 +
    (days ?? 0) * 86_400_000 +
    (hours ?? 0) * 3_600_000 +
    (minutes ?? 0) * 60_000 +
    (seconds ?? 0) * 1000
  );
}
