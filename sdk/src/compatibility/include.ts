/**
 * The directional primitive: can a reader schema read every instance a writer schema accepts?
 * Answers yes only with a proof; no when a break is found; unknown otherwise.
 */
import { allOf, combine, keywordLoc, type Ctx, type Fact, type Loc, type Tri } from './context';
import { inhabited, plainlyDisjoint } from './discriminators';
import { finiteValues, isEmpty, isUniversal } from './emptiness';
import { deepEqual } from './evaluate';
import { allowsType, choice, type Facets, type JsonType } from './facets';
import { includesArray } from './include-array';
import { includesObject } from './include-object';
import { includesNumber, includesString } from './include-scalar';
import { isSchemaObject, type Schema, type SchemaObject } from './schema-doc';
import { strictKindConflict } from './strict-rules';

const SLICES: JsonType[] = ['null', 'boolean', 'number', 'string', 'array', 'object'];

export function includes(ctx: Ctx, writer: Schema, reader: Schema, loc: Loc): Tri {
  ctx.step();
  const w = ctx.deref(writer);
  const r = ctx.deref(reader);
  const key = `${ctx.idOf(w)}:${ctx.idOf(r)}`;
  const hit = ctx.memo.get(key);
  if (hit !== undefined && (hit.facts !== undefined || ctx.probing > 0)) {
    if (hit.facts !== undefined) for (const f of hit.facts) ctx.facts.push(f);
    else ctx.partial = true;
    return hit.tri;
  }
  // inside a probe only the verdict counts, so a structurally equal pair's verdict will do
  const shape = ctx.probing > 0 ? ctx.shapeKey(w, r) : undefined;
  const known = shape === undefined ? undefined : ctx.shapeMemo.get(shape);
  if (known !== undefined) {
    ctx.partial = true;
    return known;
  }
  const outer = ctx.swapCycleHit(false);
  const outerPartial = ctx.swapPartial(false);
  const { tri, facts } = ctx.trial(() => ctx.guard(key, () => fresh(ctx, w, r, loc)));
  const leaned = ctx.swapCycleHit(outer);
  const partial = ctx.swapPartial(outerPartial);
  if (partial) ctx.partial = true;
  // results that leaned on an unfinished recursive assumption are not reused elsewhere
  if (leaned) ctx.cycleHit = true;
  else {
    ctx.memo.set(key, partial ? { tri } : { tri, facts });
    if (shape !== undefined) ctx.shapeMemo.set(shape, tri);
  }
  for (const f of facts) ctx.facts.push(f);
  return tri;
}

function fresh(ctx: Ctx, w: Schema, r: Schema, loc: Loc): Tri {
  if (ctx.strict && strictKindConflict(ctx, w, r, loc)) return 'no';
  if (r === true || isEmpty(ctx, w)) return 'yes';
  if (r === false) {
    ctx.emit({ kind: 'type', status: 'break', loc, writer: typesOf(ctx.facets(w)), reader: [] });
    return 'no';
  }
  const wf = ctx.facets(w);
  const finite = finiteValues(wf);
  if (finite !== undefined) return finiteWriter(ctx, w, r, finite, loc);
  const reader = withoutSharedGroups(ctx, wf, r);
  if (wf.anyOf.length > 0) return splitWriter(ctx, w, reader, wf.anyOf[0] as Schema[], false, loc);
  if (wf.oneOf.length > 0) return splitWriter(ctx, w, reader, wf.oneOf[0] as Schema[], true, loc);
  const cond = wf.conditionals[0];
  if (cond !== undefined) {
    const then = choice(w, cond.owner, allOf(cond.if, cond.then ?? true));
    const other = choice(w, cond.owner, allOf({ not: cond.if }, cond.else ?? true));
    return combine([includes(ctx, then, reader, loc), includes(ctx, other, reader, loc)]);
  }
  const negated = wf.not[0];
  if (negated !== undefined) return writerNot(ctx, w, reader, negated, loc);
  return againstReader(ctx, w, wf, reader, loc);
}

function againstReader(ctx: Ctx, w: Schema, wf: Facets, r: Schema, loc: Loc): Tri {
  const rf = ctx.facets(r);
  const results: Tri[] = [plain(ctx, w, wf, rf, loc)];
  for (const group of rf.anyOf)
    results.push(readerChoice(ctx, w, wf, group, false, keywordLoc(loc, 'anyOf')));
  for (const group of rf.oneOf) results.push(readerChoice(ctx, w, wf, group, true, keywordLoc(loc, 'oneOf')));
  for (const n of rf.not) results.push(readerNot(ctx, w, n.schema, keywordLoc(loc, 'not')));
  for (const c of rf.conditionals) results.push(readerConditional(ctx, w, c, keywordLoc(loc, 'if')));
  return combine(results);
}

/** A reader anyOf/oneOf identical to one of the writer's holds already; leave it out of the reader. */
function withoutSharedGroups(ctx: Ctx, wf: Facets, r: Schema): Schema {
  if (!isSchemaObject(r)) return r;
  const rf = ctx.facets(r);
  let out: Schema = r;
  // a writer oneOf is within an anyOf of the same branches, but an anyOf is not within a oneOf
  for (const group of rf.anyOf) {
    if ([...wf.anyOf, ...wf.oneOf].some((g) => sameBranches(ctx, g, group)))
      out = choice(out, group, undefined);
  }
  for (const group of rf.oneOf) {
    if (wf.oneOf.some((g) => sameBranches(ctx, g, group))) out = choice(out, group, undefined);
  }
  return out;
}

function sameBranches(ctx: Ctx, a: Schema[], b: Schema[]): boolean {
  let row = ctx.sameGroups.get(a);
  if (row === undefined) ctx.sameGroups.set(a, (row = new Map<unknown[], boolean>()));
  let same = row.get(b);
  if (same === undefined) row.set(b, (same = computeSameBranches(ctx, a, b)));
  return same;
}

function computeSameBranches(ctx: Ctx, a: Schema[], b: Schema[]): boolean {
  if (a.length !== b.length) return false;
  const da = a.map((s) => ctx.deref(s));
  const db = b.map((s) => ctx.deref(s));
  return (
    da.every((x) => db.some((y) => x === y || sameSchema(ctx, x, y))) &&
    db.every((y) => da.some((x) => sameSchema(ctx, x, y)))
  );
}

/** Deep equality; plain schemas compare by shape id, which is equivalent and computed once. */
function sameSchema(ctx: Ctx, a: Schema, b: Schema): boolean {
  const sa = ctx.shapes.of(a);
  const sb = sa === undefined ? undefined : ctx.shapes.of(b);
  return sb === undefined ? deepEqual(a, b) : sa === sb;
}

function finiteWriter(ctx: Ctx, w: Schema, r: Schema, finite: unknown[], loc: Loc): Tri {
  const values = finite.filter((v) => ctx.evaluator.validate(w, v));
  const rejected = values.filter((v) => !ctx.evaluator.validate(r, v));
  const rf = ctx.facets(r);
  const readerEnum = rf.enums.length > 0 ? (finiteValues(rf) ?? []) : undefined;
  if (rejected.length === 0) {
    if (readerEnum !== undefined && readerEnum.length > values.length) {
      ctx.emit({
        kind: 'enum',
        status: 'safe',
        loc: keywordLoc(loc, 'enum'),
        writer: values,
        reader: readerEnum,
      });
    }
    return 'yes';
  }
  if (readerEnum !== undefined) {
    ctx.emit({
      kind: 'enum',
      status: 'break',
      loc: keywordLoc(loc, 'enum'),
      writer: values,
      reader: readerEnum,
    });
  } else {
    ctx.emit({ kind: 'value', status: 'break', loc, writer: values, reader: typesOf(rf) });
  }
  return 'no';
}

function splitWriter(ctx: Ctx, w: Schema, r: Schema, group: Schema[], isOneOf: boolean, loc: Loc): Tri {
  const exact = !isOneOf || pairwiseDisjoint(ctx, group);
  const { tri, facts } = ctx.trial(() =>
    combine(group.map((b) => includes(ctx, choice(w, group, b), r, loc))),
  );
  if (tri === 'no' && !exact) {
    ctx.facts.push(...facts.map(asUnknown));
    return 'unknown';
  }
  ctx.facts.push(...facts);
  return tri;
}

export function asUnknown(f: Fact): Fact {
  return f.status === 'break' ? { ...f, status: 'unknown' } : f;
}

export function disjoint(ctx: Ctx, a: Schema, b: Schema): boolean {
  const key = `d${ctx.idOf(ctx.deref(a))}:${ctx.idOf(ctx.deref(b))}`;
  const known = ctx.disjointMemo.get(key);
  if (known !== undefined) return known;
  const result = plainlyDisjoint(ctx, a, b) || isEmpty(ctx, allOf(a, b));
  ctx.disjointMemo.set(key, result);
  return result;
}

function pairwiseDisjoint(ctx: Ctx, group: Schema[]): boolean {
  return group.every((a, i) => group.every((b, j) => j <= i || disjoint(ctx, a, b)));
}

function writerNot(
  ctx: Ctx,
  w: Schema,
  r: Schema,
  n: { schema: Schema; owner: SchemaObject },
  loc: Loc,
): Tri {
  const base = choice(w, n.owner, undefined);
  const direct = ctx.trial(() => includes(ctx, base, r, loc));
  if (direct.tri === 'yes') return 'yes';
  if (ctx.probe(() => includes(ctx, base, n.schema, loc)) === 'yes') return 'yes';
  if (ctx.probe(() => includes(ctx, base, { anyOf: [r, n.schema] }, loc)) === 'yes') return 'yes';
  ctx.facts.push(...direct.facts.map(asUnknown));
  if (!direct.facts.some((f) => f.status !== 'safe')) ctx.emit({ kind: 'not', status: 'unknown', loc });
  return 'unknown';
}

/** The writer cut into one piece per JSON type it may hold (integers travel with numbers). */
function slices(ctx: Ctx, w: Schema, wf: Facets): [JsonType, Schema][] {
  const out: [JsonType, Schema][] = [];
  for (const t of SLICES) {
    const own = t === 'number' && !allowsType(wf, 'number') && allowsType(wf, 'integer') ? 'integer' : t;
    if (!allowsType(wf, own)) continue;
    const piece = allOf(w, { type: own });
    if (!isEmpty(ctx, piece)) out.push([own, piece]);
  }
  return out;
}

function readerChoice(ctx: Ctx, w: Schema, wf: Facets, group: Schema[], isOneOf: boolean, loc: Loc): Tri {
  const whole = ctx.trial(() => choiceForPiece(ctx, w, group, group, isOneOf, loc));
  if (whole.tri === 'yes') return 'yes';
  const pieces = slices(ctx, w, wf);
  if (pieces.length <= 1) {
    ctx.facts.push(...whole.facts);
    return whole.tri;
  }
  const results: Tri[] = [];
  for (const [t, piece] of pieces) {
    const open = group.filter((b) => allowsType(ctx.facets(b), t));
    results.push(choiceForPiece(ctx, piece, open, group, isOneOf, loc));
  }
  return combine(results);
}

function choiceForPiece(
  ctx: Ctx,
  w: Schema,
  open: Schema[],
  group: Schema[],
  isOneOf: boolean,
  loc: Loc,
): Tri {
  const code = isOneOf ? 'oneOf' : 'anyOf';
  if (open.length === 0) {
    ctx.emit({ kind: code, status: 'break', loc, writer: undefined, reader: group.length });
    return 'no';
  }
  if (open.length === 1) return includes(ctx, w, open[0] as Schema, loc);
  // a non-empty writer never fits a branch it is disjoint from (that would be a false accept),
  // so branches told apart by a discriminator skip the full comparison
  let nonEmpty: boolean | undefined;
  const fits = open.map((b): Tri => {
    if (plainlyDisjoint(ctx, w, b) && (nonEmpty ??= inhabited(ctx, w))) return 'no';
    return ctx.probe(() => includes(ctx, w, b, loc));
  });
  const fitting = fits.filter((t) => t === 'yes').length;
  if (isOneOf && fitting > 1) {
    ctx.emit({ kind: 'oneOfOverlap', status: 'break', loc });
    return 'no';
  }
  const chosen = fits.indexOf('yes');
  if (chosen >= 0 && (!isOneOf || open.every((b, i) => i === chosen || disjoint(ctx, w, b)))) return 'yes';
  if (!isOneOf && coverTricks(ctx, w, open, loc)) return 'yes';
  ctx.emit({ kind: code, status: 'unknown', loc, reader: group.length });
  return 'unknown';
}

/** Union-cover proofs nest expensively; they are tried at most two levels deep. */
function coverTricks(ctx: Ctx, w: Schema, open: Schema[], loc: Loc): boolean {
  if (ctx.trickDepth >= 2) return false;
  ctx.trickDepth++;
  try {
    return notBranchCovers(ctx, w, open, loc) || complementCovers(ctx, w, open, loc);
  } finally {
    ctx.trickDepth--;
  }
}

/** W ⊆ (P ∧ ¬X) ∪ rest holds when W ⊆ P and W ∧ X ⊆ rest. */
function notBranchCovers(ctx: Ctx, w: Schema, open: Schema[], loc: Loc): boolean {
  return open.some((b, i) => {
    const n = ctx.facets(b).not[0];
    if (n === undefined) return false;
    const rest = open.filter((_, j) => j !== i);
    const positive = ctx.probe(() => includes(ctx, w, choice(b, n.owner, undefined), loc));
    return (
      positive === 'yes' && ctx.probe(() => includes(ctx, allOf(w, n.schema), { anyOf: rest }, loc)) === 'yes'
    );
  });
}

const COMPLEMENTS: Record<string, (v: number) => SchemaObject> = {
  minItems: (v) => ({ maxItems: v - 1 }),
  maxItems: (v) => ({ minItems: v + 1 }),
  minLength: (v) => ({ maxLength: v - 1 }),
  maxLength: (v) => ({ minLength: v + 1 }),
  minProperties: (v) => ({ maxProperties: v - 1 }),
  maxProperties: (v) => ({ minProperties: v + 1 }),
  minimum: (v) => ({ exclusiveMaximum: v }),
  maximum: (v) => ({ exclusiveMinimum: v }),
  exclusiveMinimum: (v) => ({ maximum: v }),
  exclusiveMaximum: (v) => ({ minimum: v }),
};

/** W ⊆ (P ∧ bound) ∪ rest holds when W ⊆ P and W ∧ (opposite bound) ⊆ rest (one bound keyword). */
function complementCovers(ctx: Ctx, w: Schema, open: Schema[], loc: Loc): boolean {
  return open.some((b, i) => {
    const d = ctx.deref(b);
    if (!isSchemaObject(d)) return false;
    const bounds = Object.keys(d).filter((k) => k in COMPLEMENTS && typeof d[k] === 'number');
    const keyword = bounds[0];
    if (bounds.length !== 1 || keyword === undefined) return false;
    const positive: SchemaObject = Object.fromEntries(Object.entries(d).filter(([k]) => k !== keyword));
    const opposite = (COMPLEMENTS[keyword] as (v: number) => SchemaObject)(d[keyword] as number);
    const rest = open.filter((_, j) => j !== i);
    if (ctx.probe(() => includes(ctx, w, positive, loc)) !== 'yes') return false;
    return ctx.probe(() => includes(ctx, allOf(w, opposite), { anyOf: rest }, loc)) === 'yes';
  });
}

function readerNot(ctx: Ctx, w: Schema, x: Schema, loc: Loc): Tri {
  if (disjoint(ctx, w, x)) return 'yes';
  const inside = ctx.probe(() => includes(ctx, w, x, loc)) === 'yes';
  ctx.emit({ kind: 'not', status: inside ? 'break' : 'unknown', loc });
  return inside ? 'no' : 'unknown';
}

function readerConditional(
  ctx: Ctx,
  w: Schema,
  c: { if: Schema; then?: Schema; else?: Schema },
  loc: Loc,
): Tri {
  const then = c.then ?? true;
  const otherwise = c.else ?? true;
  if (ctx.probe(() => includes(ctx, w, c.if, loc)) === 'yes') return includes(ctx, w, then, loc);
  if (disjoint(ctx, w, c.if)) return includes(ctx, w, otherwise, loc);
  const a = includes(ctx, allOf(w, c.if), then, loc);
  const b = includes(ctx, allOf(w, { not: c.if }), otherwise, loc);
  return combine([a, b]);
}

function plain(ctx: Ctx, w: Schema, wf: Facets, rf: Facets, loc: Loc): Tri {
  const results: Tri[] = [];
  const lost = SLICES.concat('integer').filter(
    (t) => allowsType(wf, t) && !allowsType(rf, t) && !isEmpty(ctx, allOf(w, { type: t })),
  );
  if (lost.length > 0) {
    ctx.emit({
      kind: 'type',
      status: 'break',
      loc: keywordLoc(loc, 'type'),
      writer: typesOf(wf),
      reader: typesOf(rf),
    });
    results.push('no');
  } else if (!sameTypes(wf, rf)) {
    ctx.emit({
      kind: 'type',
      status: 'safe',
      loc: keywordLoc(loc, 'type'),
      writer: typesOf(wf),
      reader: typesOf(rf),
    });
  }
  const both = (t: JsonType): boolean => allowsType(wf, t) && allowsType(rf, t);
  if (both('number')) results.push(includesNumber(ctx, wf, rf, false, loc));
  else if (both('integer')) results.push(includesNumber(ctx, wf, rf, true, loc));
  if (both('string')) results.push(includesString(ctx, wf, rf, loc));
  if (both('array')) results.push(includesArray(ctx, wf, rf, loc));
  if (both('object')) results.push(includesObject(ctx, w, wf, rf, loc));
  if (rf.enums.length > 0 && !isUniversal(ctx, { enum: finiteValues(rf) ?? [] })) {
    ctx.emit({ kind: 'enum', status: 'break', loc: keywordLoc(loc, 'enum'), reader: finiteValues(rf) });
    results.push('no');
  }
  return combine(results);
}

export function typesOf(f: Facets): string[] {
  if (f.never) return [];
  if (f.types === null) return ['any'];
  const list = [...f.types];
  return list.includes('number') ? list.filter((t) => t !== 'integer') : list;
}

function sameTypes(a: Facets, b: Facets): boolean {
  const ta = typesOf(a);
  const tb = typesOf(b);
  return ta.length === tb.length && ta.every((t) => tb.includes(t));
}
