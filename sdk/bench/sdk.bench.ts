/**
 * `npm run bench:sdk`: validations per second of raw compiled ajv against `validate()` on the
 * same ~2 KB order payloads, with no rules, five typed rules, and five typed rules plus one CEL
 * rule. Same process, warm-up first, rounds alternate between the sides; medians printed.
 * "raw ajv" is a default Ajv2020 + ajv-formats (native RegExp); "same config" is the SDK's own
 * ajv configuration (strict, linear-time patterns) compiled and called directly.
 */
import type { ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { QualityRule } from '../src/quality';
import { compileSchema, createSchemaCompiler, createValidator } from '../src/validation';
import {
  fiveTypedRules,
  makeOrder,
  orderContract,
  orderSchema,
} from '../test/validation/fixtures/order-contract';

const ROUNDS = 7;
const ROUND_MS = 300;
const payloads = Array.from({ length: 256 }, (_, i) => makeOrder(i));
const celRule: QualityRule = {
  name: 'items-priced',
  kind: 'cel',
  expression: 'message.items.all(i, i.quantity > 0 && i.unit_price >= 0.0)',
};

type Side = (payload: unknown) => unknown;

/** Calls per second of `side` over the inputs during about ROUND_MS. */
function round(side: Side, inputs: readonly unknown[]): number {
  let calls = 0;
  const started = performance.now();
  const until = started + ROUND_MS;
  while (performance.now() < until) {
    for (const payload of inputs) side(payload);
    calls += inputs.length;
  }
  return calls / ((performance.now() - started) / 1000);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Medians of alternating rounds of every side, after a warm-up of each. */
function compare(sides: readonly Side[], inputs: readonly unknown[]): number[] {
  for (const side of sides) round(side, inputs);
  const rounds: number[][] = sides.map(() => []);
  for (let i = 0; i < ROUNDS; i++) sides.forEach((side, s) => rounds[s]?.push(round(side, inputs)));
  return rounds.map(median);
}

function kops(value: number): string {
  return `${(value / 1000).toFixed(0).padStart(4)} k/s`;
}

function rawAjv(allErrors = false): ValidateFunction {
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors });
  (addFormats as unknown as (instance: Ajv2020) => void)(ajv);
  ajv.addKeyword({ keyword: 'x-charter' });
  return ajv.compile(orderSchema);
}

function measure(label: string, rules: QualityRule[], goal?: number): number {
  const validator = createValidator(orderContract(rules), { cache: false });
  for (const payload of payloads)
    if (!validator.validate(payload).ok) throw new Error(`${label}: payload invalid`);
  const sameConfig = createSchemaCompiler('2020-12').compile(orderSchema);
  const sides: Side[] = [rawAjv(), sameConfig, (payload) => validator.validate(payload)];
  const [raw = 0, same = 0, sdk = 0] = compare(sides, payloads);
  const verdict =
    goal === undefined ? '' : sdk / raw >= goal ? ` goal >= ${goal}x met` : ` goal >= ${goal}x MISSED`;
  console.log(
    `${label.padEnd(26)} raw ajv ${kops(raw)} | same config ${kops(same)} | validate() ${kops(sdk)} | ` +
      `ratio ${(sdk / raw).toFixed(2)}x (vs same config ${(sdk / same).toFixed(2)}x)${verdict}`,
  );
  return sdk;
}

function measureInvalid(): void {
  const bad = payloads.map((payload, i) => ({ ...payload, order_id: `bad-${i}`, total: -1, channel: 'fax' }));
  const validator = createValidator(orderContract(fiveTypedRules), { cache: false });
  const [raw = 0, sdk = 0] = compare([rawAjv(true), (payload) => validator.validate(payload)], bad);
  const label = 'invalid (3 errors)'.padEnd(26);
  console.log(
    `${label} raw ajv allErrors ${kops(raw)} | validate() with issues ${kops(sdk)} | ratio ${(sdk / raw).toFixed(2)}x`,
  );
}

function measureRedos(): void {
  const linear = compileSchema({ type: 'string', pattern: '^(a+)+$' });
  if (!linear.ok) throw new Error('pattern schema does not compile');
  let started = performance.now();
  linear.validate(`${'a'.repeat(100_000)}!`);
  const linearMs = performance.now() - started;
  started = performance.now();
  /^(a+)+$/.test(`${'a'.repeat(24)}!`);
  const nativeMs = performance.now() - started;
  console.log(
    `ReDoS ^(a+)+$: native RegExp ${nativeMs.toFixed(0)} ms on 25 chars; SDK (re2js) ${linearMs.toFixed(1)} ms on 100 KB`,
  );
}

function main(): void {
  const bytes = payloads.reduce((sum, payload) => sum + JSON.stringify(payload).length, 0) / payloads.length;
  console.log(
    `sdk bench: order contract (~30 fields), ${payloads.length} payloads of ${(bytes / 1024).toFixed(2)} KB avg`,
  );
  console.log(`${ROUNDS} rounds x ${ROUND_MS} ms per side after warm-up, medians\n`);
  measure('no rules', [], 0.9);
  const typed = measure('five typed rules', fiveTypedRules, 0.7);
  const withCel = measure('five typed + one CEL rule', [...fiveTypedRules, celRule]);
  console.log(
    `cost of one CEL rule (items.all over 5 items): ${(1e6 / withCel - 1e6 / typed).toFixed(2)} µs per validation`,
  );
  measureInvalid();
  measureRedos();
}

main();
