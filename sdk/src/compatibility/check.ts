/** checkCompatibility: modes, history and policies over the directional primitive. */
import { BudgetExceeded, Ctx, type Fact, type Loc, type Tri } from './context';
import { describe } from './describe';
import { includes } from './include';
import { RefProblem, Scope, isSchema, type Schema } from './schema-doc';
import {
  COMPATIBILITY_MODES,
  COMPATIBILITY_POLICIES,
  type Change,
  type CompatibilityMode,
  type CompatibilityPolicy,
  type CompatibilityRequest,
  type CompatibilityResult,
  type Direction,
} from './types';
import { candidates } from './witness';

const DEFAULT_BUDGET = 200_000;
const ROOT: Loc = { readerPath: '', writerPath: '', instancePath: '' };

interface Run {
  tri: Tri;
  facts: Fact[];
  direction: Direction;
  against: number;
}

function directionsOf(mode: CompatibilityMode): Direction[] {
  if (mode.startsWith('BACKWARD')) return ['backward'];
  if (mode.startsWith('FORWARD')) return ['forward'];
  return ['backward', 'forward'];
}

/** Checks a proposed schema against its history under a mode and policy; never throws on bad input. */
export function checkCompatibility(request: CompatibilityRequest): CompatibilityResult {
  const mode = request.mode ?? 'BACKWARD';
  const policy = request.policy ?? 'STRICT';
  const base = { mode, policy, changes: [] as Change[], steps: 0 };
  if (!COMPATIBILITY_MODES.includes(mode) || !COMPATIBILITY_POLICIES.includes(policy)) {
    return {
      ...base,
      verdict: 'undecided',
      reason: { code: 'INVALID_REQUEST', message: 'unknown mode or policy' },
    };
  }
  const schemas = [...request.history, request.proposed];
  if (!schemas.every(isSchema)) {
    return {
      ...base,
      verdict: 'undecided',
      reason: { code: 'INVALID_SCHEMA', message: 'a schema must be an object or a boolean' },
    };
  }
  if (mode === 'NONE' || request.history.length === 0) return { ...base, verdict: 'compatible' };
  const last = request.history.length - 1;
  const targets = mode.endsWith('_TRANSITIVE') ? request.history.map((_, i) => i) : [last];
  const scope = new Scope();
  let steps = 0;
  try {
    const proposed = scope.add(request.proposed).root;
    const olds = new Map(targets.map((i) => [i, scope.add(request.history[i]).root]));
    const runs: Run[] = [];
    for (const [i, old] of olds) {
      for (const direction of directionsOf(mode)) {
        const budget = (request.budget ?? DEFAULT_BUDGET) - steps;
        const ctx = new Ctx(scope, direction, policy === 'STRICT', budget);
        runs.push(
          runOne(
            ctx,
            direction === 'backward' ? old : proposed,
            direction === 'backward' ? proposed : old,
            i,
          ),
        );
        steps += ctx.steps;
      }
    }
    return verdictOf(runs, mode, policy, steps);
  } catch (error) {
    if (error instanceof BudgetExceeded) {
      return {
        ...base,
        steps,
        verdict: 'undecided',
        reason: { code: 'BUDGET_EXCEEDED', message: 'the comparison exceeded its step budget' },
      };
    }
    // A reference cycle that never reaches a keyword (d = oneOf[d, ...]) recurses without a step.
    if (error instanceof RangeError) {
      return {
        ...base,
        steps,
        verdict: 'undecided',
        reason: { code: 'TOO_DEEP', message: 'the comparison recursed too deeply to decide' },
      };
    }
    if (error instanceof RefProblem) {
      return {
        ...base,
        steps,
        verdict: 'undecided',
        reason: { code: error.code, message: error.message, schemaPath: error.schemaPath },
      };
    }
    throw error;
  }
}

function runOne(ctx: Ctx, writer: Schema, reader: Schema, against: number): Run {
  let tri = includes(ctx, writer, reader, ROOT);
  let facts = ctx.facts;
  if (tri === 'unknown' && witnessExists(ctx, writer, reader)) {
    tri = 'no';
    facts = facts.map((f) => (f.status === 'unknown' ? { ...f, status: 'break' } : f));
    if (!facts.some((f) => f.status === 'break'))
      facts.push({ kind: 'instance', status: 'break', loc: ROOT });
  }
  return { tri, facts, direction: ctx.direction, against };
}

/** Some generated instance is valid under the writer and invalid under the reader. */
export function witnessExists(ctx: Ctx, writer: Schema, reader: Schema): boolean {
  const pool = [...candidates(ctx.scope, writer), ...candidates(ctx.scope, reader)];
  return pool.some((v) => {
    ctx.step();
    return ctx.evaluator.validate(writer, v) && !ctx.evaluator.validate(reader, v);
  });
}

function verdictOf(
  runs: Run[],
  mode: CompatibilityMode,
  policy: CompatibilityPolicy,
  steps: number,
): CompatibilityResult {
  const changes = mergeChanges(runs);
  const tris = runs.map((r) => r.tri);
  if (tris.includes('no')) return { verdict: 'incompatible', mode, policy, changes, steps };
  if (!tris.includes('unknown')) return { verdict: 'compatible', mode, policy, changes, steps };
  const open = changes.find((c) => c.unproven !== undefined);
  if (policy === 'SEMANTIC') {
    const reason = {
      code: 'NOT_PROVEN' as const,
      message: 'inclusion could be neither proven nor refuted',
      schemaPath: open?.schemaPath,
    };
    return { verdict: 'undecided', reason, mode, policy, changes, steps };
  }
  // STRICT and LENIENT follow the registry conservatively: what cannot be shown safe breaks
  for (const c of changes) {
    if (c.unproven !== undefined) {
      c.breaks = [...new Set([...c.breaks, ...c.unproven])];
      c.breaking = true;
    }
  }
  return { verdict: 'incompatible', mode, policy, changes, steps };
}

function mergeChanges(runs: Run[]): Change[] {
  const byKey = new Map<string, Change>();
  for (const run of runs) {
    for (const fact of run.facts) {
      const change = describe(fact, run.direction, run.against);
      const key = `${change.type}|${change.schemaPath}|${change.instancePath}|${run.against}`;
      const seen = byKey.get(key);
      if (seen === undefined) {
        byKey.set(key, change);
        continue;
      }
      seen.breaks = [...new Set([...seen.breaks, ...change.breaks])];
      if (change.unproven !== undefined)
        seen.unproven = [...new Set([...(seen.unproven ?? []), ...change.unproven])];
      seen.breaking = seen.breaks.length > 0;
      seen.fix = seen.fix ?? change.fix;
    }
  }
  return [...byKey.values()];
}
