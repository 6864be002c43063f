/** Object keywords: properties under the content model, required, counts, names and dependencies. */
import {
  allOf,
  childLoc,
  combine,
  keywordLoc,
  memberLoc,
  propertyLoc,
  type Ctx,
  type FactStatus,
  type Loc,
  type Tri,
} from './context';
import { isEmpty } from './emptiness';
import { compilePattern } from './evaluate';
import { valueSchemasFor, type Facets, type ObjectPart } from './facets';
import { includes } from './include';
import { countBound } from './include-scalar';
import { pointerToken } from '../json-pointer';
import { type Schema } from './schema-doc';

export type ContentModel = 'open' | 'closed' | 'covered';

function status(tri: Tri): FactStatus {
  return tri === 'yes' ? 'safe' : tri === 'no' ? 'break' : 'unknown';
}

/** unevaluatedProperties narrows a reader like additionalProperties (stricter, so safe). */
function readerParts(rf: Facets): readonly ObjectPart[] {
  return rf.objects.map((p) =>
    p.additional === undefined && p.unevaluated !== undefined ? { ...p, additional: p.unevaluated } : p,
  );
}

export function includesObject(ctx: Ctx, w: Schema, wf: Facets, rf: Facets, loc: Loc): Tri {
  const rParts = readerParts(rf);
  const names = new Set<string>();
  for (const part of wf.objects) for (const name of Object.keys(part.properties)) names.add(name);
  for (const part of rParts) for (const name of Object.keys(part.properties)) names.add(name);
  const results: Tri[] = [];
  const keyless = wf.maxProperties === 0;
  for (const name of keyless ? [] : names) results.push(property(ctx, wf.objects, rParts, name, loc));
  if (!keyless) results.push(otherKeys(ctx, wf.objects, rParts, loc));
  results.push(required(ctx, wf, rf, loc));
  results.push(
    countBound(
      ctx,
      'minProperties',
      wf.minProperties === undefined && wf.required.size === 0
        ? undefined
        : Math.max(wf.minProperties ?? 0, wf.required.size),
      rf.minProperties,
      false,
      loc,
    ),
  );
  if (rf.maxProperties !== undefined || wf.maxProperties !== undefined) {
    results.push(countBound(ctx, 'maxProperties', writerMaxProperties(ctx, wf), rf.maxProperties, true, loc));
  }
  results.push(propertyNames(ctx, wf, rf, loc));
  results.push(dependencies(ctx, w, wf, rf, loc));
  return combine(results);
}

function valueOf(parts: readonly ObjectPart[], name: string): Schema {
  return allOf(...valueSchemasFor(parts, name, compilePattern));
}

function own(parts: readonly ObjectPart[], name: string): Schema | undefined {
  for (const part of parts)
    if (Object.prototype.hasOwnProperty.call(part.properties, name)) return part.properties[name];
  return undefined;
}

export function modelOf(parts: readonly ObjectPart[], name: string): ContentModel {
  if (parts.some((p) => p.patterns.some(([pattern]) => compilePattern(pattern)?.test(name) === true)))
    return 'covered';
  if (parts.some((p) => p.additional === false)) return 'closed';
  return parts.some((p) => p.additional !== undefined && p.additional !== true) ? 'covered' : 'open';
}

function property(
  ctx: Ctx,
  wParts: readonly ObjectPart[],
  rParts: readonly ObjectPart[],
  name: string,
  loc: Loc,
): Tri {
  const writer = valueOf(wParts, name);
  const inW = own(wParts, name);
  const inR = own(rParts, name);
  const at = propertyLoc(ctx, loc, inW, inR, name);
  if (isEmpty(ctx, writer)) {
    if (inW !== undefined && inR === undefined)
      emitProperty(ctx, 'safe', name, at, 'writer', modelOf(rParts, name));
    if (inR !== undefined && inW === undefined)
      emitProperty(ctx, 'safe', name, at, 'reader', modelOf(wParts, name));
    return 'yes';
  }
  const readers = valueSchemasFor(rParts, name, compilePattern);
  if (inW !== undefined && inR !== undefined)
    return combine(readers.map((r) => includes(ctx, writer, r, at)));
  let tri = combine(readers.map((r) => ctx.probe(() => includes(ctx, writer, r, at))));
  const writerModel = modelOf(wParts, name);
  // Karapace's structural reading: naming a property an open writer never named is a change
  if (ctx.strict && inR !== undefined && writerModel === 'open') tri = 'no';
  if (inR !== undefined) emitProperty(ctx, status(tri), name, at, 'reader', writerModel);
  else emitProperty(ctx, status(tri), name, at, 'writer', modelOf(rParts, name));
  return tri;
}

function emitProperty(
  ctx: Ctx,
  s: FactStatus,
  name: string,
  loc: Loc,
  side: string,
  model: ContentModel,
): void {
  ctx.emit({ kind: 'property', status: s, name, loc, writer: side, reader: model });
}

function otherKeys(ctx: Ctx, wParts: readonly ObjectPart[], rParts: readonly ObjectPart[], loc: Loc): Tri {
  const classes: [string, Schema, string | undefined][] = [];
  classes.push([
    'additionalProperties',
    allOf(...wParts.flatMap((p) => (p.additional === undefined ? [] : [p.additional]))),
    undefined,
  ]);
  for (const part of wParts)
    for (const [p, s] of part.patterns) classes.push([`patternProperties/${pointerToken(p)}`, s, p]);
  const results: Tri[] = [];
  for (const [segment, writer, pattern] of classes) {
    if (isEmpty(ctx, writer)) continue;
    const readers: Schema[] = [];
    const writerPatterns = wParts.flatMap((p) => p.patterns.map(([q]) => q));
    for (const part of rParts) {
      for (const [q, s] of part.patterns) {
        // keys in the additional class match no writer pattern; literal prefixes that differ never meet
        const excluded = pattern === undefined ? writerPatterns.includes(q) : prefixesDisjoint(pattern, q);
        if (!excluded) readers.push(s);
      }
      const sure = pattern !== undefined && part.patterns.some(([q]) => q === pattern);
      if (!sure && part.additional !== undefined) readers.push(part.additional);
    }
    const at = childLoc(ctx, loc, undefined, undefined, segment, '*');
    const tri = combine(readers.map((r) => ctx.probe(() => includes(ctx, writer, r, at))));
    const readerClosed = rParts.some((p) => p.additional === false);
    const writerClosed = wParts.some((p) => p.additional === false);
    if (tri !== 'yes' || readerClosed !== writerClosed) {
      ctx.emit({
        kind: pattern === undefined ? 'additionalProperties' : 'patternProperties',
        status: status(tri),
        loc: at,
        name: pattern,
        writer: writerClosed,
        reader: readerClosed,
      });
    }
    results.push(tri);
  }
  return combine(results);
}

function required(ctx: Ctx, wf: Facets, rf: Facets, loc: Loc): Tri {
  const at = keywordLoc(loc, 'required');
  let tri: Tri = 'yes';
  for (const name of rf.required) {
    if (wf.required.has(name)) continue;
    const known = wf.objects.some((p) => Object.prototype.hasOwnProperty.call(p.properties, name));
    ctx.emit({
      kind: 'required',
      status: 'break',
      loc: memberLoc(at, name),
      name,
      writer: known,
    });
    tri = 'no';
  }
  for (const name of wf.required) {
    if (!rf.required.has(name)) ctx.emit({ kind: 'requiredRemoved', status: 'safe', loc: at, name });
  }
  return tri;
}

function writerMaxProperties(ctx: Ctx, wf: Facets): number | undefined {
  const closed = wf.objects.find((p) => p.additional === false && p.patterns.length === 0);
  if (closed === undefined) return wf.maxProperties;
  const allowed = Object.keys(closed.properties).filter((n) => !isEmpty(ctx, valueOf(wf.objects, n))).length;
  return wf.maxProperties === undefined ? allowed : Math.min(allowed, wf.maxProperties);
}

function propertyNames(ctx: Ctx, wf: Facets, rf: Facets, loc: Loc): Tri {
  if (rf.propertyNames.length === 0 && wf.propertyNames.length === 0) return 'yes';
  const at = keywordLoc(loc, 'propertyNames');
  const results: Tri[] = [];
  const names = new Set(wf.objects.flatMap((p) => Object.keys(p.properties)));
  const open = !wf.objects.some((p) => p.additional === false && p.patterns.length === 0);
  for (const pn of rf.propertyNames) {
    let tri: Tri = 'yes';
    for (const name of names) {
      if (!isEmpty(ctx, valueOf(wf.objects, name)) && !ctx.evaluator.validate(pn, name)) tri = 'no';
    }
    if (tri === 'yes' && open)
      tri = ctx.probe(() => includes(ctx, allOf({ type: 'string' }, ...wf.propertyNames), pn, at));
    if (tri !== 'yes') ctx.emit({ kind: 'propertyNames', status: status(tri), loc: at });
    results.push(tri);
  }
  if (rf.propertyNames.length === 0 && wf.propertyNames.length > 0)
    ctx.emit({ kind: 'propertyNames', status: 'safe', loc: at });
  return combine(results);
}

function dependencies(ctx: Ctx, w: Schema, wf: Facets, rf: Facets, loc: Loc): Tri {
  const results: Tri[] = [];
  for (const [name, deps] of Object.entries(rf.dependentRequired)) {
    if (isEmpty(ctx, valueOf(wf.objects, name))) continue;
    const granted = new Set([...wf.required, ...(wf.dependentRequired[name] ?? [])]);
    const missing = deps.filter((d) => !granted.has(d));
    const at = keywordLoc(loc, `dependentRequired/${name}`);
    if (missing.length > 0)
      ctx.emit({
        kind: 'dependency',
        status: 'break',
        loc: at,
        name,
        writer: wf.dependentRequired[name],
        reader: deps,
      });
    results.push(missing.length > 0 ? 'no' : 'yes');
  }
  for (const [name, schema] of rf.dependentSchemas) {
    if (isEmpty(ctx, valueOf(wf.objects, name))) continue;
    const own = wf.dependentSchemas.filter(([n]) => n === name).map(([, s]) => s);
    const base = allOf(w, { required: [name] }, ...own);
    const at = keywordLoc(loc, `dependentSchemas/${name}`);
    const tri = ctx.probe(() => includes(ctx, base, schema, at));
    if (tri !== 'yes')
      ctx.emit({ kind: 'dependencySchema', status: status(tri), loc: at, name, writer: own.length > 0 });
    results.push(tri);
  }
  for (const name of Object.keys(wf.dependentRequired)) {
    if (rf.dependentRequired[name] === undefined)
      ctx.emit({
        kind: 'dependency',
        status: 'safe',
        loc: keywordLoc(loc, `dependentRequired/${name}`),
        name,
        writer: wf.dependentRequired[name],
      });
  }
  return combine(results);
}

const LITERAL_PREFIX = /^\^[\w-]*$/;

function prefixesDisjoint(p: string, q: string): boolean {
  if (!LITERAL_PREFIX.test(p) || !LITERAL_PREFIX.test(q)) return false;
  const a = p.slice(1);
  const b = q.slice(1);
  return !a.startsWith(b) && !b.startsWith(a);
}
