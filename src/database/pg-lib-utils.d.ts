/** pg's own conversion of a JS value to the text it sends (dates, arrays, buffers, objects as JSON). */
declare module 'pg/lib/utils' {
  export function prepareValue(value: unknown): unknown;
}
