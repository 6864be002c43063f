/** Number and string keywords: bounds, multipleOf, pattern, format and content annotations. */
import { combine, keywordLoc, type Ctx, type Loc, type Tri } from './context';
import { integerRange } from './emptiness';
import { compilePattern, isMultiple } from './evaluate';
import type { Bound, Facets } from './facets';

export function includesNumber(ctx: Ctx, wf: Facets, rf: Facets, integers: boolean, loc: Loc): Tri {
  const writerIntegers = integers || (wf.types !== null && !wf.types.has('number'));
  let wMin = wf.min;
  let wMax = wf.max;
  if (writerIntegers) {
    const [lo, hi] = integerRange(wf.min, wf.max);
    wMin = lo === undefined ? undefined : { value: lo, exclusive: false };
    wMax = hi === undefined ? undefined : { value: hi, exclusive: false };
  }
  return combine([
    bound(ctx, wf.min, wMin, rf.min, false, loc),
    bound(ctx, wf.max, wMax, rf.max, true, loc),
    multipleOf(ctx, wf, rf, writerIntegers, loc),
  ]);
}

function boundKeyword(b: Bound | undefined, other: Bound | undefined, isMax: boolean): string {
  const exclusive = (b ?? other)?.exclusive === true;
  if (isMax) return exclusive ? 'exclusiveMaximum' : 'maximum';
  return exclusive ? 'exclusiveMinimum' : 'minimum';
}

function bound(
  ctx: Ctx,
  raw: Bound | undefined,
  w: Bound | undefined,
  r: Bound | undefined,
  isMax: boolean,
  loc: Loc,
): Tri {
  const keyword = boundKeyword(r, raw, isMax);
  const at = keywordLoc(loc, keyword);
  // the old side "has" this keyword only when its exclusivity matches (draft-04 booleans)
  const sameKeyword = raw !== undefined && raw.exclusive === keyword.startsWith('exclusive');
  const fact = {
    kind: 'bound',
    name: keyword,
    loc: at,
    writer: sameKeyword ? raw.value : undefined,
    reader: r?.value,
  };
  if (r === undefined) {
    if (raw !== undefined) ctx.emit({ ...fact, status: 'safe' });
    return 'yes';
  }
  if (w === undefined) {
    ctx.emit({ ...fact, status: 'break' });
    return 'no';
  }
  const inside = isMax ? w.value < r.value : w.value > r.value;
  const ok = inside || (w.value === r.value && (!r.exclusive || w.exclusive));
  if (!ok) ctx.emit({ ...fact, status: 'break' });
  else if (raw?.value !== r.value || raw.exclusive !== r.exclusive) ctx.emit({ ...fact, status: 'safe' });
  return ok ? 'yes' : 'no';
}

function multipleOf(ctx: Ctx, wf: Facets, rf: Facets, writerIntegers: boolean, loc: Loc): Tri {
  const at = keywordLoc(loc, 'multipleOf');
  const results: Tri[] = [];
  for (const m of rf.multipleOf) {
    const ok = wf.multipleOf.some((k) => isMultiple(k, m)) || (writerIntegers && isMultiple(1, m));
    const fact = { kind: 'multipleOf', loc: at, writer: wf.multipleOf[0], reader: m };
    if (!ok) ctx.emit({ ...fact, status: 'break' });
    else if (wf.multipleOf[0] !== m) ctx.emit({ ...fact, status: 'safe' });
    results.push(ok ? 'yes' : 'no');
  }
  if (rf.multipleOf.length === 0 && wf.multipleOf.length > 0) {
    ctx.emit({ kind: 'multipleOf', status: 'safe', loc: at, writer: wf.multipleOf[0] });
  }
  return combine(results);
}

/** A plain count bound (lengths, items, properties): reader min/max against writer min/max. */
export function countBound(
  ctx: Ctx,
  keyword: string,
  writer: number | undefined,
  reader: number | undefined,
  isMax: boolean,
  loc: Loc,
): Tri {
  const at = keywordLoc(loc, keyword);
  const fact = { kind: 'bound', name: keyword, loc: at, writer, reader };
  const w = isMax ? writer : (writer ?? 0);
  const r = isMax ? reader : reader === 0 ? undefined : reader;
  if (r === undefined) {
    if (writer !== undefined && writer !== reader && !(writer === 0 && !isMax))
      ctx.emit({ ...fact, status: 'safe' });
    return 'yes';
  }
  const ok = w !== undefined && (isMax ? w <= r : w >= r);
  if (!ok) ctx.emit({ ...fact, status: 'break' });
  else if (writer !== reader) ctx.emit({ ...fact, status: 'safe' });
  return ok ? 'yes' : 'no';
}

/** A pattern that can match the empty string anywhere matches every string. */
export function universalPattern(pattern: string): boolean {
  const re = compilePattern(pattern);
  return re !== null && re.test('') && !/[\^$]|\\[bB]|\(\?/.test(pattern);
}

function listKeyword(
  ctx: Ctx,
  keyword: string,
  writer: readonly string[],
  reader: readonly string[],
  loc: Loc,
): Tri {
  const at = keywordLoc(loc, keyword);
  const skip = (p: string): boolean => !ctx.strict && keyword === 'pattern' && universalPattern(p);
  const results: Tri[] = [];
  for (const r of reader) {
    if (writer.includes(r) || skip(r)) continue;
    ctx.emit({ kind: 'keyword', name: keyword, status: 'break', loc: at, writer: writer[0], reader: r });
    results.push('no');
  }
  for (const w of writer) {
    if (!reader.includes(w) && reader.length === 0 && !skip(w)) {
      ctx.emit({ kind: 'keyword', name: keyword, status: 'safe', loc: at, writer: w });
    }
  }
  return combine(results);
}

export function includesString(ctx: Ctx, wf: Facets, rf: Facets, loc: Loc): Tri {
  return combine([
    countBound(ctx, 'minLength', wf.minLength, rf.minLength, false, loc),
    countBound(ctx, 'maxLength', wf.maxLength, rf.maxLength, true, loc),
    listKeyword(ctx, 'pattern', wf.patterns, rf.patterns, loc),
    listKeyword(ctx, 'format', wf.formats, rf.formats, loc),
    listKeyword(ctx, 'contentEncoding', wf.contentEncoding, rf.contentEncoding, loc),
    listKeyword(ctx, 'contentMediaType', wf.contentMediaType, rf.contentMediaType, loc),
  ]);
}
