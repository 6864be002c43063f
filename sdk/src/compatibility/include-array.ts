/** Array keywords: items in list and tuple form, additionalItems, contains, counts, uniqueItems. */
import { allOf, childLoc, combine, keywordLoc, type Ctx, type Loc, type Tri } from './context';
import { isEmpty } from './emptiness';
import { deepEqual } from './evaluate';
import { itemSchemasAt, type ArrayPart, type Facets } from './facets';
import { includes } from './include';
import { countBound } from './include-scalar';
import type { Schema } from './schema-doc';

/** The most items a writer instance can hold, from maxItems and closed tuples. */
function writerMaxItems(wf: Facets): number | undefined {
  let max = wf.maxItems;
  for (const part of wf.arrays) {
    if (part.rest === false && (max === undefined || part.prefix.length < max)) max = part.prefix.length;
  }
  return max;
}

/** unevaluatedItems narrows a reader like a closing items keyword (stricter, so safe). */
function readerParts(rf: Facets): ArrayPart[] {
  return rf.arrays.map((p) =>
    p.rest === undefined && p.unevaluated !== undefined ? { ...p, rest: p.unevaluated } : p,
  );
}

export function includesArray(ctx: Ctx, wf: Facets, rf: Facets, loc: Loc): Tri {
  const wMax = writerMaxItems(wf);
  const results: Tri[] = [
    countBound(ctx, 'minItems', wf.minItems, rf.minItems, false, loc),
    countBound(ctx, 'maxItems', wMax, rf.maxItems, true, loc),
    uniqueItems(ctx, wf, rf, wMax, loc),
  ];
  if (ctx.strict && formChanged(wf, rf)) {
    ctx.emit({ kind: 'itemsForm', status: 'break', loc: keywordLoc(loc, 'items') });
    results.push('no');
  }
  results.push(items(ctx, wf, readerParts(rf), wMax, loc));
  for (const c of rf.contains) results.push(contains(ctx, wf, c, wMax, keywordLoc(loc, 'contains')));
  return combine(results);
}

function formChanged(wf: Facets, rf: Facets): boolean {
  if (wf.arrays.length === 0 || rf.arrays.length === 0) return false;
  return wf.arrays.some((p) => p.listForm) !== rf.arrays.some((p) => p.listForm);
}

function uniqueItems(ctx: Ctx, wf: Facets, rf: Facets, wMax: number | undefined, loc: Loc): Tri {
  const at = keywordLoc(loc, 'uniqueItems');
  if (rf.uniqueItems && !wf.uniqueItems && !(wMax !== undefined && wMax <= 1)) {
    ctx.emit({ kind: 'uniqueItems', status: 'break', loc: at, writer: false, reader: true });
    return 'no';
  }
  if (wf.uniqueItems && !rf.uniqueItems)
    ctx.emit({ kind: 'uniqueItems', status: 'safe', loc: at, writer: true });
  return 'yes';
}

function items(ctx: Ctx, wf: Facets, parts: ArrayPart[], wMax: number | undefined, loc: Loc): Tri {
  const n = Math.max(0, ...wf.arrays.map((p) => p.prefix.length), ...parts.map((p) => p.prefix.length));
  const results: Tri[] = [];
  for (let i = 0; i <= n; i++) {
    if (wMax !== undefined && wMax <= i) break;
    const writer = allOf(...itemSchemasAt(wf.arrays, i));
    if (isEmpty(ctx, writer)) break;
    const readers = itemSchemasAt(parts, i);
    for (const reader of readers) {
      const segment = i < n ? `items/${i}` : 'items';
      const at = childLoc(ctx, loc, writer, reader, segment, i < n ? String(i) : '*');
      const tri = includes(ctx, writer, reader, at);
      if (tri !== 'yes' && i >= n && reader === false) {
        ctx.emit({ kind: 'additionalItems', status: 'break', loc: at, reader: false });
      }
      results.push(tri);
    }
  }
  return combine(results);
}

function contains(
  ctx: Ctx,
  wf: Facets,
  c: { schema: Schema; min: number; max?: number },
  wMax: number | undefined,
  loc: Loc,
): Tri {
  const viaContains = wf.contains.some(
    (wc) =>
      wc.min >= c.min &&
      ctx.probe(() => includes(ctx, wc.schema, c.schema, loc)) === 'yes' &&
      (c.max === undefined || (wc.max !== undefined && wc.max <= c.max && deepEqual(wc.schema, c.schema))),
  );
  const n = Math.max(0, ...wf.arrays.map((p) => p.prefix.length));
  const indexes = [...Array.from({ length: n }, (_, i) => i), Number.MAX_SAFE_INTEGER];
  const everyItem =
    (wf.minItems ?? 0) >= c.min &&
    (c.max === undefined || (wMax !== undefined && wMax <= c.max)) &&
    indexes.every(
      (i) => ctx.probe(() => includes(ctx, allOf(...itemSchemasAt(wf.arrays, i)), c.schema, loc)) === 'yes',
    );
  if (viaContains || everyItem || (c.min === 0 && c.max === undefined)) return 'yes';
  ctx.emit({ kind: 'contains', status: 'break', loc, reader: c.min });
  return 'no';
}
