/** State of one directional comparison: budget, recorded facts, memo and recursion guard. */
import { Evaluator } from './evaluate';
import { facetsOf, type Facets } from './facets';
import { escapePointer, type Schema, type Scope, type SchemaObject } from './schema-doc';
import type { Direction } from './types';

/** yes: proven included; no: a break was found; unknown: neither could be shown. */
export type Tri = 'yes' | 'no' | 'unknown';

export type FactStatus = 'break' | 'unknown' | 'safe';

export interface Loc {
  readerPath: string;
  writerPath: string;
  instancePath: string;
}

/** A raw observation in reader/writer terms; describe.ts names it from old to new. */
export interface Fact {
  kind: string;
  status: FactStatus;
  loc: Loc;
  writer?: unknown;
  reader?: unknown;
  name?: string;
}

export class BudgetExceeded extends Error {
  constructor() {
    super('comparison step budget exceeded');
  }
}

export function combine(results: Tri[]): Tri {
  if (results.includes('no')) return 'no';
  return results.includes('unknown') ? 'unknown' : 'yes';
}

export class Ctx {
  facts: Fact[] = [];
  steps = 0;
  readonly evaluator: Evaluator;
  private readonly ids = new WeakMap<object, number>();
  private nextId = 1;
  private readonly active = new Set<string>();
  readonly memo = new Map<string, { tri: Tri; facts: Fact[] }>();
  readonly emptyMemo = new Map<number, boolean>();
  readonly disjointMemo = new Map<string, boolean>();
  readonly sameGroups = new Map<unknown[], Map<unknown[], boolean>>();
  /** Set when a recursive pair was assumed included during the current computation. */
  cycleHit = false;
  trickDepth = 0;

  constructor(
    readonly scope: Scope,
    readonly direction: Direction,
    readonly strict: boolean,
    readonly budget: number,
  ) {
    this.evaluator = new Evaluator(scope);
  }

  swapCycleHit(value: boolean): boolean {
    const previous = this.cycleHit;
    this.cycleHit = value;
    return previous;
  }

  step(): void {
    if (++this.steps > this.budget) throw new BudgetExceeded();
  }

  facets(schema: Schema): Facets {
    return facetsOf(this.scope, schema);
  }

  deref(schema: Schema): Schema {
    return this.scope.deref(schema);
  }

  idOf(schema: Schema): number {
    if (typeof schema === 'boolean') return schema ? -1 : -2;
    let id = this.ids.get(schema);
    if (id === undefined) this.ids.set(schema, (id = this.nextId++));
    return id;
  }

  emit(fact: Fact): void {
    this.facts.push(fact);
  }

  /** Runs `fn` with its own fact list; returns its result and facts without recording them. */
  trial(fn: () => Tri): { tri: Tri; facts: Fact[] } {
    const saved = this.facts;
    this.facts = [];
    try {
      const tri = fn();
      return { tri, facts: this.facts };
    } finally {
      this.facts = saved;
    }
  }

  /** Recursion guard: a pair already being compared is assumed included (instances are finite). */
  guard(key: string, fn: () => Tri): Tri {
    if (this.active.has(key)) {
      this.cycleHit = true;
      return 'yes';
    }
    this.active.add(key);
    try {
      return fn();
    } finally {
      this.active.delete(key);
    }
  }
}

export function allOf(...parts: Schema[]): Schema {
  const kept = parts.filter((p) => p !== true);
  if (kept.length === 0) return true;
  if (kept.length === 1) return kept[0] as Schema;
  return { allOf: kept };
}

/** A location one step down: escaped keyword segments for the schemas, an instance segment for data. */
export function childLoc(
  ctx: Ctx,
  loc: Loc,
  writer: Schema | undefined,
  reader: Schema | undefined,
  schemaSegment: string,
  instanceSegment?: string,
): Loc {
  // callers pass segments already escaped (property names through escapePointer)
  const seg = schemaSegment;
  return {
    readerPath: (reader !== undefined ? ctx.scope.pathOf(reader) : undefined) ?? `${loc.readerPath}/${seg}`,
    writerPath: (writer !== undefined ? ctx.scope.pathOf(writer) : undefined) ?? `${loc.writerPath}/${seg}`,
    instancePath:
      instanceSegment === undefined
        ? loc.instancePath
        : `${loc.instancePath}/${escapePointer(instanceSegment)}`,
  };
}

export function keywordLoc(loc: Loc, keyword: string): Loc {
  return { ...loc, readerPath: `${loc.readerPath}/${keyword}`, writerPath: `${loc.writerPath}/${keyword}` };
}

export function isObjectSchema(s: Schema): s is SchemaObject {
  return typeof s === 'object';
}
