/**
 * STRICT's structural rules (Confluent/Karapace registry reading): a change of a schema's kind is
 * reported even where set inclusion would allow it, e.g. a `true` reader for an integer writer.
 * They only ever add breaks, so they cannot make the engine accept anything unsound.
 */
import type { Ctx, Loc } from './context';
import { ANNOTATIONS, type Schema } from './schema-doc';

type Kind = 'any' | 'never' | 'not' | 'combined' | 'enum' | 'object' | 'typed' | 'other';

const OBJECT_KEYWORDS = [
  'properties',
  'additionalProperties',
  'patternProperties',
  'required',
  'propertyNames',
];

function kindOf(s: Schema): Kind {
  if (typeof s === 'boolean') return s ? 'any' : 'never';
  const keys = Object.keys(s).filter((k) => !ANNOTATIONS.has(k));
  if (keys.length === 0) return 'any';
  if (keys.some((k) => k === 'allOf' || k === 'anyOf' || k === 'oneOf' || k === '$ref')) return 'combined';
  if (keys.length === 1 && keys[0] === 'not') return 'not';
  if (s.type === undefined) {
    if (keys.includes('enum') || keys.includes('const')) return 'enum';
    return keys.some((k) => OBJECT_KEYWORDS.includes(k)) ? 'object' : 'other';
  }
  return s.type === 'object' ? 'object' : 'typed';
}

function conflict(wk: Kind, rk: Kind): boolean {
  if (rk === 'any') return !['any', 'never', 'object'].includes(wk);
  if (rk === 'never') return !['any', 'never'].includes(wk);
  if (rk === 'not') return wk !== 'not';
  if (wk === 'not' || wk === 'never') return rk !== 'combined' && rk !== 'other';
  return false;
}

/** Records and reports a kind change between the two (raw, not dereferenced) schemas. */
export function strictKindConflict(ctx: Ctx, w: Schema, r: Schema, loc: Loc): boolean {
  const wk = kindOf(w);
  const rk = kindOf(r);
  if (!conflict(wk, rk)) return false;
  ctx.emit({ kind: 'kind', status: 'break', loc, writer: wk, reader: rk });
  return true;
}
