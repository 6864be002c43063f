/**
 * npm run bench:compat: the engine on a 1,000-property schema BACKWARD_TRANSITIVE against 100
 * versions, a oneOf of 10 object branches nested 3 deep, and json-schema-diff on a small case.
 */
import { checkCompatibility, type CompatibilityRequest } from '../src/compatibility';
import { BaselineRunner } from '../src/compatibility/baseline';

const LEAVES = [
  { type: 'string', maxLength: 64 },
  { type: 'integer', minimum: 0 },
  { type: 'number' },
  { type: 'boolean' },
];

function wide(count: number, version: number): object {
  const properties: Record<string, object> = {};
  for (let i = 0; i < count - 100 + version; i++) properties[`p${i}`] = LEAVES[i % LEAVES.length] as object;
  return { type: 'object', properties, required: ['p0', 'p1'], additionalProperties: false };
}

function branch(depth: number, i: number, width: number): object {
  const child = depth === 0 ? { type: 'string', maxLength: 10 + i } : union(depth - 1, width);
  return {
    type: 'object',
    properties: { kind: { const: `k${i}` }, a: { type: 'integer' }, b: { type: 'string' }, child },
    required: ['kind'],
    additionalProperties: false,
  };
}

function union(depth: number, width: number): object {
  return { oneOf: Array.from({ length: width }, (_, i) => branch(depth, i, width)) };
}

/** Best wall time of `runs` checks after a warm-up, and the process CPU time of that best run. */
function best(
  request: CompatibilityRequest,
  runs: number,
): { ms: number; cpuMs: number; verdict: string; steps: number } {
  let ms = Infinity;
  let cpuMs = Infinity;
  let result = checkCompatibility(request);
  for (let i = 0; i < runs; i++) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    result = checkCompatibility(request);
    const wall = performance.now() - started;
    const used = process.cpuUsage(cpu);
    if (wall < ms) {
      ms = wall;
      cpuMs = (used.user + used.system) / 1000;
    }
  }
  return { ms, cpuMs, verdict: result.verdict, steps: result.steps };
}

async function main(): Promise<void> {
  const history = Array.from({ length: 100 }, (_, v) => wide(1000, v));
  const proposed = wide(1000, 100);
  const a = best({ mode: 'BACKWARD_TRANSITIVE', history, proposed }, 3);
  console.log(
    `1,000 properties, BACKWARD_TRANSITIVE x100: ${a.ms.toFixed(1)} ms, CPU ${a.cpuMs.toFixed(1)} ms (goal 200 ms: ${a.ms <= 200 ? 'met' : 'missed'}) verdict ${a.verdict}, ${a.steps} steps`,
  );

  const nestedOld = union(2, 10);
  const nestedNew = union(2, 10);
  const firstBranch = (nestedNew as { oneOf: { properties: Record<string, object> }[] }).oneOf[0];
  if (firstBranch !== undefined) firstBranch.properties.a = { type: 'number' };
  const b = best({ mode: 'FULL', policy: 'SEMANTIC', history: [nestedOld], proposed: nestedNew }, 3);
  console.log(
    `oneOf of 10 object branches nested 3 deep, FULL: ${b.ms.toFixed(1)} ms, CPU ${b.cpuMs.toFixed(1)} ms (goal 100 ms: ${b.ms <= 100 ? 'met' : 'missed'}) verdict ${b.verdict}, ${b.steps} steps`,
  );

  const small = (t: string) => ({
    type: 'object',
    properties: { a: { type: t }, b: { type: 'string' } },
    additionalProperties: false,
  });
  const runner = new BaselineRunner();
  await runner.diff(small('integer'), small('number'), 10_000);
  const base = await runner.diff(small('integer'), small('number'), 10_000);
  await runner.close();
  const ours = best({ mode: 'FULL', history: [small('integer')], proposed: small('number') }, 20);
  if (base.ok) {
    console.log(
      `small case: json-schema-diff ${base.ms.toFixed(1)} ms, charter ${ours.ms.toFixed(3)} ms: ${(base.ms / ours.ms).toFixed(0)}x faster`,
    );
  } else console.log(`small case: json-schema-diff ${base.reason}`);
}

void main();
