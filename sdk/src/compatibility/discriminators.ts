/**
 * Cheap disjointness from the keywords unions are usually told apart by: types that never meet, or
 * a property one side requires whose `const`/`enum` values the two sides never share. It answers
 * true only where the full emptiness proof of `allOf(a, b)` would (see emptiness.ts), without
 * building that schema, and only for reference-free schemas, so that skipping the full comparison
 * cannot skip a broken `$ref` either.
 */
import type { Ctx } from './context';
import { finiteValues } from './emptiness';
import { deepEqual } from './evaluate';
import type { Facets } from './facets';
import type { Schema } from './schema-doc';
import { candidates } from './witness';

export function plainlyDisjoint(ctx: Ctx, a: Schema, b: Schema): boolean {
  if (!ctx.shapes.referenceFree(a) || !ctx.shapes.referenceFree(b)) return false;
  const fa = ctx.facets(a);
  const fb = ctx.facets(b);
  if (fa.types === null || fb.types === null) return false;
  let shared = 0;
  let objectsOnly = true;
  for (const t of fa.types) {
    if (!fb.types.has(t)) continue;
    shared++;
    if (t !== 'object') objectsOnly = false;
  }
  if (shared === 0) return true;
  if (!objectsOnly) return false;
  for (const required of [fa.required, fb.required]) {
    for (const name of required) {
      const va = propertyValues(ctx, fa, name);
      const vb = va === undefined ? undefined : propertyValues(ctx, fb, name);
      if (va !== undefined && vb !== undefined && !va.some((v) => vb.some((x) => deepEqual(v, x))))
        return true;
    }
  }
  return false;
}

/** The values a named property's own `const`/`enum` keywords allow, across object parts. */
function propertyValues(ctx: Ctx, f: Facets, name: string): unknown[] | undefined {
  let out: unknown[] | undefined;
  for (const part of f.objects) {
    if (!Object.prototype.hasOwnProperty.call(part.properties, name)) continue;
    const pf = ctx.facets(part.properties[name] as Schema);
    if (pf.enums.length === 0) continue;
    const values = finiteValues(pf) ?? [];
    out = out === undefined ? values : out.filter((v) => values.some((x) => deepEqual(v, x)));
  }
  return out;
}

/** Some candidate instance is valid under the schema, so it is not empty. */
export function inhabited(ctx: Ctx, schema: Schema): boolean {
  return candidates(ctx.scope, schema).some((v) => {
    ctx.step();
    return ctx.evaluator.validate(schema, v);
  });
}
