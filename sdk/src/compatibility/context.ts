/** State of one directional comparison: budget, recorded facts, memo and recursion guard. */
import { Evaluator } from './evaluate';
import { facetsOf, type Facets } from './facets';
import { pointerToken } from '../json-pointer';
import { type Schema, type Scope, type SchemaObject } from './schema-doc';
import { shapesOf, type Shapes } from './shapes';
import type { Direction } from './types';

/** yes: proven included; no: a break was found; unknown: neither could be shown. */
export type Tri = 'yes' | 'no' | 'unknown';

export type FactStatus = 'break' | 'unknown' | 'safe';

/** Where a fact was found; the paths may be computed on first read. */
export interface Loc {
  readonly readerPath: string;
  readonly writerPath: string;
  readonly instancePath: string;
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
  /** Results by node identity; `facts` is undefined when a probe inside left them incomplete. */
  readonly memo = new Map<string, { tri: Tri; facts?: Fact[] }>();
  /** Verdicts by node shape, reused only inside probes (their facts are dropped). */
  readonly shapeMemo = new Map<string, Tri>();
  readonly shapes: Shapes;
  /** Depth of probes: comparisons whose facts are dropped, so only their verdict counts. */
  probing = 0;
  /** Set when a verdict was reused by shape, so the facts gathered since are incomplete. */
  partial = false;
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
    this.shapes = shapesOf(scope);
  }

  swapCycleHit(value: boolean): boolean {
    const previous = this.cycleHit;
    this.cycleHit = value;
    return previous;
  }

  swapPartial(value: boolean): boolean {
    const previous = this.partial;
    this.partial = value;
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

  /** Runs a comparison whose facts are dropped: only its verdict is used. */
  probe(fn: () => Tri): Tri {
    const saved = this.facts;
    const partial = this.partial;
    this.facts = [];
    this.probing++;
    try {
      return fn();
    } finally {
      this.facts = saved;
      this.probing--;
      this.partial = partial;
    }
  }

  /** A key for the pair's verdict by shape, when both are plain (see shapes.ts). */
  shapeKey(w: Schema, r: Schema): string | undefined {
    const ws = this.shapes.of(w);
    if (ws === undefined) return undefined;
    const rs = this.shapes.of(r);
    return rs === undefined ? undefined : `${ws}:${rs}:${this.trickDepth}`;
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

/**
 * A location one step down: escaped keyword segments for the schemas, an instance segment for data.
 * Paths are built only when read (a reported change), since most comparisons report nothing.
 */
export function childLoc(
  ctx: Ctx,
  loc: Loc,
  writer: Schema | undefined,
  reader: Schema | undefined,
  schemaSegment: string,
  instanceSegment?: string,
): Loc {
  // callers pass segments already escaped (property names through pointerToken)
  return new ChildLoc(ctx.scope, loc, writer, reader, schemaSegment, undefined, instanceSegment);
}

/** The location of a named property: `properties/<name>` for the schemas, `/<name>` for data. */
export function propertyLoc(
  ctx: Ctx,
  loc: Loc,
  writer: Schema | undefined,
  reader: Schema | undefined,
  name: string,
): Loc {
  return new ChildLoc(ctx.scope, loc, writer, reader, 'properties/', name, name);
}

class ChildLoc implements Loc {
  private reader?: string;
  private writer?: string;
  private instance?: string;

  constructor(
    private readonly scope: Scope,
    private readonly parent: Loc,
    private readonly writerSchema: Schema | undefined,
    private readonly readerSchema: Schema | undefined,
    private readonly segment: string,
    /** Appended to `segment` escaped, when the segment ends in a key. */
    private readonly key: string | undefined,
    private readonly instanceSegment: string | undefined,
  ) {}

  private schemaSegment(): string {
    return this.key === undefined ? this.segment : `${this.segment}${pointerToken(this.key)}`;
  }

  get readerPath(): string {
    if (this.reader === undefined) {
      const own = this.readerSchema !== undefined ? this.scope.pathOf(this.readerSchema) : undefined;
      this.reader = own ?? `${this.parent.readerPath}/${this.schemaSegment()}`;
    }
    return this.reader;
  }

  get writerPath(): string {
    if (this.writer === undefined) {
      const own = this.writerSchema !== undefined ? this.scope.pathOf(this.writerSchema) : undefined;
      this.writer = own ?? `${this.parent.writerPath}/${this.schemaSegment()}`;
    }
    return this.writer;
  }

  get instancePath(): string {
    if (this.instance === undefined) {
      this.instance =
        this.instanceSegment === undefined
          ? this.parent.instancePath
          : `${this.parent.instancePath}/${pointerToken(this.instanceSegment)}`;
    }
    return this.instance;
  }
}

export function keywordLoc(loc: Loc, keyword: string): Loc {
  return new KeywordLoc(loc, keyword);
}

class KeywordLoc implements Loc {
  private reader?: string;
  private writer?: string;

  constructor(
    private readonly parent: Loc,
    private readonly keyword: string,
  ) {}

  get readerPath(): string {
    return (this.reader ??= `${this.parent.readerPath}/${this.keyword}`);
  }

  get writerPath(): string {
    return (this.writer ??= `${this.parent.writerPath}/${this.keyword}`);
  }

  get instancePath(): string {
    return this.parent.instancePath;
  }
}

/** `at` with the instance path of one named member of its object (the name is not escaped). */
export function memberLoc(at: Loc, name: string): Loc {
  return new MemberLoc(at, name);
}

class MemberLoc implements Loc {
  constructor(
    private readonly at: Loc,
    private readonly name: string,
  ) {}

  get readerPath(): string {
    return this.at.readerPath;
  }

  get writerPath(): string {
    return this.at.writerPath;
  }

  get instancePath(): string {
    return `${this.at.instancePath}/${this.name}`;
  }
}

export function isObjectSchema(s: Schema): s is SchemaObject {
  return typeof s === 'object';
}
