/**
 * `npm run bench:publish-kernel`: the kernel's share of one registry publish, on documents shaped
 * like `bench:registry`'s revisions (24 properties, one `pii:email` tag), each step in µs per call
 * beside JSON.parse of the same text, run in alternating rounds in this process; medians printed.
 * Steps: strict JSON parse, prepareContract (parse, envelope, profile, schema check, canonical
 * form, hash, fields), and checkContractChange (BACKWARD, STRICT) of a revision against the one
 * before it, whose document comes fresh from JSON.parse as the service reads it from the database.
 */
import { checkContractChange, prepareContract, type PreparedContract } from '../src/contract';
import { parseStrictJson } from '../src/contract/strict-json';
import { benchContract } from './bench-contract';

const ROUNDS = 7;
const ROUND_MS = 300;
const REVISIONS = 512;

const texts = Array.from({ length: REVISIONS + 1 }, (_, i) => benchContract(1, i));
const prepared = texts.map((text) => {
  const result = prepareContract(text);
  if (!result.ok) throw new Error(`revision invalid: ${JSON.stringify(result.issues)}`);
  return result.contract;
});

type Step = (i: number) => unknown;

/** µs per call of `step` over the revisions during about ROUND_MS. */
function round(step: Step): number {
  let calls = 0;
  const started = performance.now();
  while (performance.now() < started + ROUND_MS) {
    for (let i = 0; i < REVISIONS; i++) step(i);
    calls += REVISIONS;
  }
  return ((performance.now() - started) * 1000) / calls;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function check(previous: string, next: PreparedContract): unknown {
  const report = checkContractChange({
    mode: 'BACKWARD',
    policy: 'STRICT',
    history: [JSON.parse(previous) as never],
    proposed: next.document,
  });
  if (report.verdict !== 'compatible') throw new Error('revisions are compatible');
  return report;
}

const steps: [string, Step][] = [
  ['JSON.parse (baseline)', (i): unknown => JSON.parse(texts[i] as string)],
  ['parseStrictJson', (i) => parseStrictJson(texts[i] as string, { maxDepth: 128 })],
  ['prepareContract', (i) => prepareContract(texts[i] as string)],
  ['checkContractChange', (i) => check(texts[i] as string, prepared[i + 1] as PreparedContract)],
];

function main(): void {
  for (const [, step] of steps) round(step);
  const rounds = steps.map((): number[] => []);
  for (let r = 0; r < ROUNDS; r++) steps.forEach(([, step], s) => rounds[s]?.push(round(step)));
  const medians = rounds.map(median);
  const baseline = medians[0] ?? 1;
  console.log(
    `publish kernel on bench:registry's documents (${texts[0]?.length ?? 0} bytes, node ${process.version})`,
  );
  steps.forEach(([label], s) => {
    const us = medians[s] ?? 0;
    console.log(
      `  ${label.padEnd(24)} ${us.toFixed(1).padStart(7)} us per call  ${(us / baseline).toFixed(1).padStart(5)}x JSON.parse`,
    );
  });
  console.log(`${ROUNDS} rounds x ${ROUND_MS} ms per step after warm-up, medians`);
}

main();
