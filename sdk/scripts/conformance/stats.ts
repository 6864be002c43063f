/** Per-file figures of a conformance run and the acceptance floors of issue 3. */

export interface FileFigures {
  file: string;
  cases: number;
  agreement: number;
  agreed: number;
  falseAccepts: number;
  provenFalseAccepts: number;
  unchecked: number;
  falseRejects: number;
  undecided: number;
  errors: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  baseline?: BaselineFigures;
}

export interface BaselineFigures {
  agreed: number;
  compared: number;
  unsupported: number;
  timeouts: number;
  errors: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  speedRatio: number;
}

export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

export function timing(times: number[]): { medianMs: number; p95Ms: number; maxMs: number } {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    medianMs: percentile(sorted, 0.5),
    p95Ms: percentile(sorted, 0.95),
    maxMs: sorted[sorted.length - 1] ?? 0,
  };
}

/** Agreement floors by corpus file; files not listed only have the soundness and time floors. */
const AGREEMENT_FLOORS: Record<string, number> = {
  'karapace.jsonl': 98,
  'axonops.jsonl': 98,
  'atlassian-json-schema-diff.jsonl': 99,
  'apicurio.jsonl': 90,
};

export function floorFailures(f: FileFigures): string[] {
  const out: string[] = [];
  const floor = AGREEMENT_FLOORS[f.file];
  if (floor !== undefined && f.agreement < floor)
    out.push(`${f.file}: agreement ${f.agreement.toFixed(1)}% < ${floor}%`);
  if (f.provenFalseAccepts > 0)
    out.push(`${f.file}: ${f.provenFalseAccepts} false accepts proven by an instance`);
  if (f.medianMs > 0.5) out.push(`${f.file}: median ${f.medianMs.toFixed(3)} ms > 0.5 ms`);
  if (f.p95Ms > 2) out.push(`${f.file}: p95 ${f.p95Ms.toFixed(3)} ms > 2 ms`);
  if (f.maxMs > 50) out.push(`${f.file}: max ${f.maxMs.toFixed(1)} ms > 50 ms`);
  return out;
}

function ms(v: number): string {
  return v < 10 ? v.toFixed(3) : v.toFixed(1);
}

export function printText(all: FileFigures[]): void {
  for (const f of all) {
    console.log(`${f.file}: ${f.cases} cases`);
    console.log(
      `  charter        agreement ${f.agreement.toFixed(1)}% (${f.agreed}/${f.cases})  false accepts ${f.falseAccepts} ` +
        `(proven by an instance: ${f.provenFalseAccepts}, unchecked: ${f.unchecked})  false rejects ${f.falseRejects}  ` +
        `undecided ${f.undecided}  errors ${f.errors}  ms median ${ms(f.medianMs)} p95 ${ms(f.p95Ms)} max ${ms(f.maxMs)}`,
    );
    const b = f.baseline;
    if (b === undefined) continue;
    console.log(
      `  json-schema-diff agreement ${((100 * b.agreed) / Math.max(1, b.compared)).toFixed(1)}% (${b.agreed}/${b.compared})  ` +
        `unsupported ${b.unsupported}  time-outs ${b.timeouts}  errors ${b.errors}  ms median ${ms(b.medianMs)} ` +
        `p95 ${ms(b.p95Ms)} max ${ms(b.maxMs)}  charter is ${b.speedRatio.toFixed(0)}x faster (median)`,
    );
  }
}
