/**
 * JSON Schema (2020-12) of the quality-rule vocabulary. `schemas/quality-rules.schema.json` is a
 * copy for contract authors and tools; a test keeps the two identical.
 */
const path = { type: 'string', maxLength: 512, pattern: '^(/([^/~]|~[01])*)*$' };
const plainPath = { type: 'string', maxLength: 512, pattern: '^(/([^/~*]|~[01]|\\*[^/]|[^/]\\*)*)*$' };

const checkKinds = {
  required: {
    properties: { kind: { const: 'required' }, path: { $ref: '#/$defs/path' } },
    required: ['path'],
  },
  range: {
    properties: {
      kind: { const: 'range' },
      path: { $ref: '#/$defs/path' },
      min: { type: 'number' },
      max: { type: 'number' },
      exclusiveMin: { type: 'boolean' },
      exclusiveMax: { type: 'boolean' },
    },
    required: ['path'],
    anyOf: [{ required: ['min'] }, { required: ['max'] }],
  },
  length: {
    properties: {
      kind: { const: 'length' },
      path: { $ref: '#/$defs/path' },
      min: { type: 'integer', minimum: 0 },
      max: { type: 'integer', minimum: 0 },
    },
    required: ['path'],
    anyOf: [{ required: ['min'] }, { required: ['max'] }],
  },
  pattern: {
    properties: {
      kind: { const: 'pattern' },
      path: { $ref: '#/$defs/path' },
      pattern: { type: 'string', minLength: 1, maxLength: 1024 },
    },
    required: ['path', 'pattern'],
  },
  allowedValues: {
    properties: {
      kind: { const: 'allowedValues' },
      path: { $ref: '#/$defs/path' },
      values: {
        type: 'array',
        minItems: 1,
        maxItems: 1000,
        uniqueItems: true,
        items: { type: ['string', 'number', 'boolean'], maxLength: 1024 },
      },
    },
    required: ['path', 'values'],
  },
  timestamp: {
    properties: {
      kind: { const: 'timestamp' },
      path: { $ref: '#/$defs/path' },
      notBefore: { type: 'string', maxLength: 40 },
      notAfter: { type: 'string', maxLength: 40 },
      maxAge: { type: 'string', maxLength: 40 },
      maxAhead: { type: 'string', maxLength: 40 },
    },
    required: ['path'],
    anyOf: ['notBefore', 'notAfter', 'maxAge', 'maxAhead'].map((bound) => ({ required: [bound] })),
  },
  compare: {
    properties: {
      kind: { const: 'compare' },
      path: { $ref: '#/$defs/path' },
      operator: { enum: ['<', '<=', '==', '!=', '>=', '>'] },
      other: { $ref: '#/$defs/path' },
      as: { enum: ['auto', 'number', 'timestamp', 'string'] },
    },
    required: ['path', 'operator', 'other'],
  },
  unique: {
    properties: {
      kind: { const: 'unique' },
      path: { $ref: '#/$defs/path' },
      keys: { type: 'array', minItems: 1, maxItems: 16, items: { $ref: '#/$defs/plainPath' } },
    },
    required: ['path'],
  },
  conditional: {
    properties: {
      kind: { const: 'conditional' },
      when: { $ref: '#/$defs/valueCheck' },
      then: { type: 'array', minItems: 1, maxItems: 32, items: { $ref: '#/$defs/fieldCheck' } },
    },
    required: ['when', 'then'],
  },
  cel: {
    properties: {
      kind: { const: 'cel' },
      expression: { type: 'string', minLength: 1, maxLength: 4096 },
      path: { $ref: '#/$defs/plainPath' },
    },
    required: ['expression'],
  },
};

type Kind = keyof typeof checkKinds;

function dispatch(kinds: readonly Kind[], extra: Record<string, unknown> = {}, required: string[] = []) {
  return {
    type: 'object',
    properties: { ...extra, kind: { enum: kinds } },
    required: [...required, 'kind'],
    allOf: kinds.map((kind) => ({
      if: { properties: { kind: { const: kind } } },
      then: { $ref: `#/$defs/${kind}` },
    })),
    unevaluatedProperties: false,
  };
}

const valueKinds: Kind[] = ['required', 'range', 'length', 'pattern', 'allowedValues', 'timestamp'];

export const qualityRulesSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://charter.dev/schemas/quality-rules.schema.json',
  title: 'Charter quality rules',
  description: 'The `quality` array of a Charter data contract: typed checks and CEL expressions.',
  type: 'array',
  maxItems: 200,
  items: { $ref: '#/$defs/rule' },
  $defs: {
    path,
    plainPath,
    ...Object.fromEntries(
      Object.entries(checkKinds).map(([kind, def]) => [kind, { type: 'object', ...def }]),
    ),
    valueCheck: dispatch(valueKinds),
    fieldCheck: dispatch([...valueKinds, 'compare', 'unique']),
    rule: dispatch(
      [...valueKinds, 'compare', 'unique', 'conditional', 'cel'],
      {
        name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$' },
        severity: { enum: ['error', 'warning'] },
        description: { type: 'string', maxLength: 2000 },
      },
      ['name'],
    ),
  },
} as const;
