/**
 * Independent check of "compatible" verdicts: instances drawn from both schemas (examples, enums,
 * consts, defaults, boundaries, a small generator) validated with ajv. An accept is proven false
 * when some instance is valid under the writer and invalid under the reader.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import Ajv2019 from 'ajv/dist/2019';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { Scope } from '../../src/compatibility/schema-doc';
import { candidates } from '../../src/compatibility/witness';

const options = { strict: false, validateSchema: false, allErrors: false } as const;

/** A fresh ajv per schema: corpus schemas reuse `$id`s, which one instance refuses twice. */
function compile(schema: unknown): ValidateFunction | undefined {
  const text = JSON.stringify(schema);
  const ajv = text.includes('2020-12')
    ? new Ajv2020(options)
    : text.includes('2019-09')
      ? new Ajv2019(options)
      : new Ajv(options);
  addFormats(ajv);
  try {
    return ajv.compile(schema as object);
  } catch {
    return undefined;
  }
}

const PRIMITIVES: unknown[] = [
  null,
  true,
  false,
  0,
  1,
  -1,
  2.5,
  1e9,
  '',
  'a',
  'abc',
  'ABC',
  '2024-01-01',
  'a'.repeat(40),
];

/** A small structural generator, independent of the engine's witness generator. */
function generated(schema: unknown, depth = 0): unknown[] {
  if (typeof schema !== 'object' || schema === null || depth > 3) return PRIMITIVES;
  const s = schema as Record<string, unknown>;
  const out: unknown[] = [...PRIMITIVES, [], {}];
  const props =
    typeof s.properties === 'object' && s.properties !== null
      ? (s.properties as Record<string, unknown>)
      : {};
  const names = Object.keys(props);
  for (const value of PRIMITIVES.slice(0, 10)) {
    out.push(Object.fromEntries(names.map((n) => [n, value])));
    out.push({
      ...Object.fromEntries(names.map((n) => [n, generated(props[n], depth + 1)[3]])),
      extra: value,
    });
    out.push([value], [value, value]);
  }
  for (const n of names) for (const v of generated(props[n], depth + 1).slice(0, 12)) out.push({ [n]: v });
  for (const key of ['items', 'additionalProperties', 'not', 'contains']) {
    for (const v of generated(s[key], depth + 1).slice(0, 8)) out.push([v], { x: v });
  }
  for (const key of ['anyOf', 'oneOf', 'allOf']) {
    if (Array.isArray(s[key]))
      for (const b of s[key] as unknown[]) out.push(...generated(b, depth + 1).slice(0, 15));
  }
  return out;
}

function pool(writer: unknown, reader: unknown, examples: unknown[]): unknown[] {
  const scope = new Scope();
  const w = scope.add(writer).root;
  const r = scope.add(reader).root;
  return [
    ...examples,
    ...candidates(scope, w),
    ...candidates(scope, r),
    ...generated(writer),
    ...generated(reader),
  ];
}

export type Proof = 'proven' | 'none' | 'unchecked';

/** Whether an instance proves that `reader` cannot read something `writer` wrote. */
export function provesBreak(writer: unknown, reader: unknown, examples: unknown[] = []): Proof {
  const w = compile(writer);
  const r = compile(reader);
  if (w === undefined || r === undefined) return 'unchecked';
  return pool(writer, reader, examples).some((v) => w(v) && !r(v)) ? 'proven' : 'none';
}
