import { checkCompatibility, type CompatibilityPolicy } from '../../src/compatibility';

type Row = [string, unknown, unknown, string, boolean];

/** [keyword, old, new, expected change type, breaks BACKWARD]; FORWARD is checked on the swap. */
const ROWS: Row[] = [
  ['type narrowed', { type: ['string', 'null'] }, { type: 'string' }, 'TYPE_NARROWED', true],
  ['type extended', { type: 'integer' }, { type: 'number' }, 'TYPE_EXTENDED', false],
  [
    'maxLength',
    { type: 'string', maxLength: 10 },
    { type: 'string', maxLength: 5 },
    'MAX_LENGTH_DECREASED',
    true,
  ],
  [
    'minLength',
    { type: 'string', minLength: 1 },
    { type: 'string', minLength: 5 },
    'MIN_LENGTH_INCREASED',
    true,
  ],
  ['pattern', { type: 'string' }, { type: 'string', pattern: '^a+$' }, 'PATTERN_ADDED', true],
  ['format', { type: 'string' }, { type: 'string', format: 'email' }, 'FORMAT_ADDED', true],
  ['maximum', { type: 'number', maximum: 10 }, { type: 'number', maximum: 5 }, 'MAXIMUM_DECREASED', true],
  ['minimum', { type: 'number', minimum: 1 }, { type: 'number', minimum: 0 }, 'MINIMUM_DECREASED', false],
  [
    'exclusiveMaximum',
    { type: 'number' },
    { type: 'number', exclusiveMaximum: 3 },
    'EXCLUSIVE_MAXIMUM_ADDED',
    true,
  ],
  [
    'draft-04 exclusiveMinimum',
    { type: 'number', minimum: 2 },
    { type: 'number', minimum: 2, exclusiveMinimum: true },
    'EXCLUSIVE_MINIMUM_ADDED',
    true,
  ],
  [
    'multipleOf',
    { type: 'number', multipleOf: 2 },
    { type: 'number', multipleOf: 4 },
    'MULTIPLE_OF_EXPANDED',
    true,
  ],
  ['enum', { enum: ['a', 'b', 'c'] }, { enum: ['a', 'b'] }, 'ENUM_ARRAY_NARROWED', true],
  ['const', { const: 'a' }, { enum: ['a', 'b'] }, 'ENUM_ARRAY_EXTENDED', false],
  [
    'required',
    { type: 'object', properties: { a: {} } },
    { type: 'object', properties: { a: {} }, required: ['a'] },
    'REQUIRED_ATTRIBUTE_ADDED',
    true,
  ],
  [
    'property added to open model',
    { type: 'object' },
    { type: 'object', properties: { a: { type: 'string' } } },
    'PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL',
    true,
  ],
  [
    'property added to closed model',
    { type: 'object', additionalProperties: false },
    { type: 'object', additionalProperties: false, properties: { a: { type: 'string' } } },
    'OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL',
    false,
  ],
  [
    'property removed from closed model',
    { type: 'object', additionalProperties: false, properties: { a: {} } },
    { type: 'object', additionalProperties: false },
    'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL',
    true,
  ],
  [
    'additionalProperties closed',
    { type: 'object' },
    { type: 'object', additionalProperties: false },
    'ADDITIONAL_PROPERTIES_REMOVED',
    true,
  ],
  ['minProperties', { type: 'object' }, { type: 'object', minProperties: 2 }, 'MIN_PROPERTIES_ADDED', true],
  [
    'maxProperties',
    { type: 'object', maxProperties: 3 },
    { type: 'object', maxProperties: 5 },
    'MAX_PROPERTIES_INCREASED',
    false,
  ],
  [
    'propertyNames',
    { type: 'object' },
    { type: 'object', propertyNames: { maxLength: 3 } },
    'PROPERTY_NAMES_NARROWED',
    true,
  ],
  [
    'dependentRequired',
    { type: 'object' },
    { type: 'object', dependentRequired: { a: ['b'] } },
    'DEPENDENCY_ARRAY_ADDED',
    true,
  ],
  [
    'dependencies (array)',
    { type: 'object' },
    { type: 'object', dependencies: { a: ['b'] } },
    'DEPENDENCY_ARRAY_ADDED',
    true,
  ],
  ['minItems', { type: 'array' }, { type: 'array', minItems: 1 }, 'MIN_ITEMS_ADDED', true],
  ['maxItems', { type: 'array', maxItems: 5 }, { type: 'array', maxItems: 2 }, 'MAX_ITEMS_DECREASED', true],
  ['uniqueItems', { type: 'array' }, { type: 'array', uniqueItems: true }, 'UNIQUE_ITEMS_ADDED', true],
  [
    'items',
    { type: 'array', items: { type: 'string' } },
    { type: 'array', items: { type: 'integer' } },
    'TYPE_NARROWED',
    true,
  ],
  ['contains', { type: 'array' }, { type: 'array', contains: { type: 'string' } }, 'CONTAINS_CHANGED', true],
  [
    'oneOf narrowed',
    { oneOf: [{ type: 'string' }, { type: 'integer' }] },
    { oneOf: [{ type: 'string' }] },
    // a branch no reader alternative can hold reads as a type change at that spot
    'TYPE_NARROWED',
    true,
  ],
  [
    'anyOf narrowed',
    { type: 'string' },
    {
      anyOf: [
        { type: 'string', maxLength: 2 },
        { type: 'string', minLength: 5 },
      ],
    },
    'SUM_TYPE_NARROWED',
    true,
  ],
  ['not extended', { type: 'string' }, { type: 'string', not: { maxLength: 2 } }, 'NOT_TYPE_EXTENDED', true],
  [
    'if/then',
    { type: 'object' },
    { type: 'object', if: { required: ['a'] }, then: { required: ['b'] } },
    'REQUIRED_PROPERTY_ADDED',
    true,
  ],
];

function types(old: unknown, proposed: unknown, policy: CompatibilityPolicy, mode: 'BACKWARD' | 'FORWARD') {
  return checkCompatibility({ mode, policy, history: [old], proposed });
}

describe.each(ROWS)('%s', (_name, old, proposed, code, breaksBackward) => {
  it(`reports ${code} and ${breaksBackward ? 'breaks' : 'keeps'} BACKWARD under SEMANTIC`, () => {
    const result = types(old, proposed, 'SEMANTIC', 'BACKWARD');
    expect(result.changes.map((c) => c.type)).toContain(code);
    expect(result.verdict).toBe(breaksBackward ? 'incompatible' : 'compatible');
  });

  it('gives the opposite answer for the swapped pair when the change is one-sided', () => {
    const swapped = types(proposed, old, 'SEMANTIC', 'BACKWARD');
    const forward = types(old, proposed, 'SEMANTIC', 'FORWARD');
    expect(forward.verdict).toBe(swapped.verdict);
  });
});

describe('changes carry paths, sentences and fixes', () => {
  it('locates a nested break in the schema and the instance', () => {
    const old = {
      type: 'object',
      properties: { customer: { type: 'object', properties: { email: { type: 'string' } } } },
    };
    const proposed = {
      type: 'object',
      properties: { customer: { type: 'object', properties: { email: { type: 'string', maxLength: 5 } } } },
    };
    const change = checkCompatibility({ history: [old], proposed }).changes.find((c) => c.breaking);
    expect(change).toMatchObject({
      type: 'MAX_LENGTH_ADDED',
      category: 'schema',
      instancePath: '/customer/email',
      schemaPath: '/properties/customer/properties/email/maxLength',
      breaks: ['backward'],
    });
    expect(change?.message).toContain('maxLength');
    expect(change?.fix).toBeDefined();
  });
});

describe('references, recursion and safety', () => {
  const person = {
    $defs: {
      person: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          children: { type: 'array', items: { $ref: '#/$defs/person' } },
        },
      },
    },
    $ref: '#/$defs/person',
  };

  it('compares recursive schemas without looping', () => {
    expect(checkCompatibility({ history: [person], proposed: person }).verdict).toBe('compatible');
  });

  it('finds a break deep inside a recursive definition', () => {
    const narrowed = structuredClone(person);
    narrowed.$defs.person.properties.name = { type: 'string', maxLength: 3 } as { type: string };
    expect(checkCompatibility({ history: [person], proposed: narrowed, policy: 'SEMANTIC' }).verdict).toBe(
      'incompatible',
    );
  });

  it('resolves $anchor and draft-06 $id names', () => {
    const old = { properties: { a: { $ref: '#A' } }, definitions: { A: { $id: '#A', type: 'string' } } };
    const proposed = { properties: { a: { $ref: '#B' } }, $defs: { B: { $anchor: 'B', type: 'integer' } } };
    expect(checkCompatibility({ history: [old], proposed, policy: 'SEMANTIC' }).verdict).toBe('incompatible');
  });

  it('refuses an external $ref with REF_NOT_ALLOWED', () => {
    const proposed = { $ref: 'https://example.com/schema.json' };
    const result = checkCompatibility({ history: [{}], proposed });
    expect(result.verdict).toBe('undecided');
    expect(result.reason?.code).toBe('REF_NOT_ALLOWED');
  });

  it('answers undecided when the step budget runs out', () => {
    const result = checkCompatibility({
      history: [{ type: 'string' }],
      proposed: { type: 'integer' },
      budget: 1,
    });
    expect(result).toMatchObject({ verdict: 'undecided', reason: { code: 'BUDGET_EXCEEDED' } });
  });

  it('answers undecided, never throws, when a reference cycle makes no progress (d = oneOf[d, ...])', () => {
    const looping = {
      $defs: {
        d: {
          oneOf: [
            { $defs: { d: { allOf: [{ type: 'number' }] } }, $ref: '#/$defs/d' },
            { not: { type: 'string' } },
          ],
        },
      },
      $ref: '#/$defs/d',
    };
    const result = checkCompatibility({
      history: [looping],
      proposed: { type: 'integer', minimum: 0, maximum: -2 },
      mode: 'BACKWARD',
    });
    expect(result).toMatchObject({ verdict: 'undecided', reason: { code: 'TOO_DEEP' } });
  });
});

describe('modes and policies', () => {
  const v1 = { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false };
  const v2 = {
    type: 'object',
    properties: { a: { type: 'string' }, b: { type: 'string' } },
    additionalProperties: false,
  };
  const v3 = {
    type: 'object',
    properties: { a: { type: 'string' }, b: { type: 'string' } },
    required: ['b'],
    additionalProperties: false,
  };

  it('checks only the latest version in BACKWARD and all in BACKWARD_TRANSITIVE', () => {
    const required = { ...v2, required: ['b'] };
    expect(checkCompatibility({ mode: 'BACKWARD', history: [v1, required], proposed: v3 }).verdict).toBe(
      'compatible',
    );
    expect(
      checkCompatibility({ mode: 'BACKWARD_TRANSITIVE', history: [v1, required], proposed: v3 }).verdict,
    ).toBe('incompatible');
  });

  it('FULL needs both directions; NONE always passes', () => {
    expect(checkCompatibility({ mode: 'BACKWARD', history: [v1], proposed: v2 }).verdict).toBe('compatible');
    expect(checkCompatibility({ mode: 'FULL', history: [v1], proposed: v2 }).verdict).toBe('incompatible');
    expect(checkCompatibility({ mode: 'NONE', history: [v1], proposed: { type: 'integer' } }).verdict).toBe(
      'compatible',
    );
  });

  it('STRICT reports a kind change that SEMANTIC accepts', () => {
    const request = { history: [{ type: 'integer' }], proposed: true };
    expect(checkCompatibility({ ...request, policy: 'STRICT' }).verdict).toBe('incompatible');
    expect(checkCompatibility({ ...request, policy: 'SEMANTIC' }).verdict).toBe('compatible');
  });

  it('nested oneOf stays polynomial', () => {
    const branch = (depth: number, i: number): object => ({
      type: 'object',
      properties: { kind: { const: `k${i}` }, child: depth === 0 ? { type: 'string' } : union(depth - 1) },
      required: ['kind'],
    });
    const union = (depth: number): object => ({
      oneOf: Array.from({ length: 10 }, (_, i) => branch(depth, i)),
    });
    const result = checkCompatibility({ history: [union(2)], proposed: union(2), policy: 'SEMANTIC' });
    expect(result.verdict).toBe('compatible');
    expect(result.steps).toBeLessThan(50_000);
  });
});
