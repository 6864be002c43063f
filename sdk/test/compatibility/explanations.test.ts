/**
 * Every change keeps its explanation: the type code, JSON Pointer, instance path, directions and
 * fix below were recorded from the engine before location paths became lazy and before verdicts
 * were shared between structurally equal subschemas; they must not drift.
 */
import { checkCompatibility, type CompatibilityRequest } from '../../src/compatibility';

interface Branch {
  type: string;
  properties: { kind: object; a: object; child: { oneOf: Branch[] } | object };
  required: string[];
  additionalProperties: boolean;
}

function branch(depth: number, i: number, width: number): Branch {
  const child = depth === 0 ? { type: 'string', maxLength: 10 + i } : union(depth - 1, width);
  return {
    type: 'object',
    properties: { kind: { const: `k${i}` }, a: { type: 'integer' }, child },
    required: ['kind'],
    additionalProperties: false,
  };
}
function union(depth: number, width: number): { oneOf: Branch[] } {
  return { oneOf: Array.from({ length: width }, (_, i) => branch(depth, i, width)) };
}
const deepNew = union(2, 3);
(((deepNew.oneOf[2] as Branch).properties.child as { oneOf: Branch[] }).oneOf[1] as Branch).properties.child =
  { type: 'string', maxLength: 5 };
const CASES: [string, CompatibilityRequest][] = [
  [
    'escaped property names, nested',
    {
      mode: 'FULL',
      history: [
        {
          type: 'object',
          properties: {
            'a/b': {
              type: 'object',
              properties: { 'c~d': { type: 'string' }, e: { type: 'integer', minimum: 0 } },
            },
          },
        },
      ],
      proposed: {
        type: 'object',
        properties: {
          'a/b': {
            type: 'object',
            properties: {
              'c~d': { type: 'integer' },
              e: { type: 'integer', minimum: 1 },
              'f/g': { type: 'string' },
            },
            required: ['c~d'],
          },
        },
      },
    },
  ],
  [
    'items, tuple and list',
    {
      mode: 'FULL',
      history: [
        {
          type: 'object',
          properties: {
            t: { type: 'array', items: [{ type: 'string', maxLength: 9 }, { type: 'number' }] },
            l: { type: 'array', items: { type: 'string', format: 'email' } },
          },
        },
      ],
      proposed: {
        type: 'object',
        properties: {
          t: { type: 'array', items: [{ type: 'string', maxLength: 4 }, { type: 'integer' }] },
          l: { type: 'array', items: { type: 'string' }, maxItems: 3 },
        },
      },
    },
  ],
  [
    'local $ref into $defs',
    {
      mode: 'BACKWARD',
      history: [
        {
          $defs: { email: { type: 'string', maxLength: 50 } },
          type: 'object',
          properties: {
            from: { $ref: '#/$defs/email' },
            to: { type: 'array', items: { $ref: '#/$defs/email' } },
          },
        },
      ],
      proposed: {
        $defs: { email: { type: 'string', maxLength: 20, pattern: '@' } },
        type: 'object',
        properties: {
          from: { $ref: '#/$defs/email' },
          to: { type: 'array', items: { $ref: '#/$defs/email' } },
        },
      },
    },
  ],
  [
    'content model: patterns and additionalProperties',
    {
      mode: 'FULL',
      history: [
        {
          type: 'object',
          properties: { id: { type: 'string' } },
          patternProperties: { '^x-': { type: 'string' } },
          additionalProperties: { type: 'number' },
        },
      ],
      proposed: {
        type: 'object',
        properties: { id: { type: 'string' }, name: { type: 'string' } },
        patternProperties: { '^x-': { type: 'integer' } },
        additionalProperties: false,
      },
    },
  ],
  [
    'enum, const and dependencies',
    {
      mode: 'FULL_TRANSITIVE',
      history: [
        {
          type: 'object',
          properties: { s: { enum: ['a', 'b', 'c'] }, k: { const: 1 } },
          dependentRequired: { s: ['k'] },
        },
        { type: 'object', properties: { s: { enum: ['a', 'b'] }, k: { const: 1 } } },
      ],
      proposed: {
        type: 'object',
        properties: { s: { enum: ['a', 'd'] }, k: { enum: [1, 2] } },
        dependentRequired: { k: ['s'] },
      },
    },
  ],
  [
    'a change deep inside one of several identical oneOf copies',
    { mode: 'FULL', policy: 'SEMANTIC', history: [union(2, 3)], proposed: deepNew },
  ],
  [
    'anyOf, not and if/then/else',
    {
      mode: 'FULL',
      policy: 'STRICT',
      history: [
        {
          anyOf: [{ type: 'string' }, { type: 'integer', not: { const: 3 } }],
          if: { type: 'string' },
          then: { minLength: 1 },
        },
      ],
      proposed: {
        anyOf: [{ type: 'string', maxLength: 3 }, { type: 'number' }],
        if: { type: 'string' },
        then: { minLength: 2 },
      },
    },
  ],
];

type Explained = [
  type: string,
  schemaPath: string,
  instancePath: string,
  breaks: string[],
  fix: string | null,
];

const EXPECTED: Record<string, { verdict: string; changes: Explained[] }> = {
  'escaped property names, nested': {
    verdict: 'incompatible',
    changes: [
      [
        'TYPE_NARROWED',
        '/properties/a~1b/properties/c~0d/type',
        '/a~1b/c~0d',
        ['backward'],
        'keep accepting the old types (a type list or anyOf)',
      ],
      [
        'MINIMUM_INCREASED',
        '/properties/a~1b/properties/e/minimum',
        '/a~1b/e',
        ['backward'],
        'lower minimum back to 0 (or remove it) so earlier data stays valid',
      ],
      [
        'PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL',
        '/properties/a~1b/properties/f~1g',
        '/a~1b/f~1g',
        ['backward'],
        'close the old object with additionalProperties: false first, or give the property a schema that accepts any value',
      ],
      [
        'REQUIRED_ATTRIBUTE_ADDED',
        '/properties/a~1b/required',
        '/a~1b/c~d',
        ['backward'],
        'make "c~d" optional (a default does not make earlier data valid)',
      ],
      [
        'TYPE_EXTENDED',
        '/properties/a~1b/properties/c~0d/type',
        '/a~1b/c~0d',
        ['forward'],
        'keep accepting the old types (a type list or anyOf)',
      ],
      ['REQUIRED_ATTRIBUTE_ADDED', '/properties/a~1b/required', '/a~1b', [], null],
      ['MIN_PROPERTIES_ADDED', '/properties/a~1b/minProperties', '/a~1b', [], null],
    ],
  },
  'items, tuple and list': {
    verdict: 'incompatible',
    changes: [
      [
        'MAX_LENGTH_DECREASED',
        '/properties/t/items/0/maxLength',
        '/t/0',
        ['backward'],
        'raise maxLength back to 9 (or remove it) so earlier data stays valid',
      ],
      [
        'TYPE_NARROWED',
        '/properties/t/items/1/type',
        '/t/1',
        ['backward'],
        'keep accepting the old types (a type list or anyOf)',
      ],
      [
        'MAX_ITEMS_ADDED',
        '/properties/l/maxItems',
        '/l',
        ['backward'],
        'raise maxItems back to none (or remove it) so earlier data stays valid',
      ],
      ['FORMAT_REMOVED', '/properties/l/items/format', '/l/*', ['forward'], 'keep the earlier format'],
    ],
  },
  'local $ref into $defs': {
    verdict: 'incompatible',
    changes: [
      [
        'MAX_LENGTH_DECREASED',
        '/properties/from/maxLength',
        '/from',
        ['backward'],
        'raise maxLength back to 50 (or remove it) so earlier data stays valid',
      ],
      ['PATTERN_ADDED', '/properties/from/pattern', '/from', ['backward'], 'keep the earlier pattern'],
    ],
  },
  'content model: patterns and additionalProperties': {
    verdict: 'incompatible',
    changes: [
      [
        'PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
        '/properties/name',
        '/name',
        ['backward', 'forward'],
        'close the old object with additionalProperties: false first, or give the property a schema that accepts any value',
      ],
      [
        'ADDITIONAL_PROPERTIES_REMOVED',
        '/additionalProperties',
        '/*',
        ['backward'],
        'keep accepting the undeclared properties earlier data may hold',
      ],
      [
        'PATTERN_PROPERTIES_CHANGED',
        '/patternProperties/^x-',
        '/*',
        ['backward', 'forward'],
        'keep the earlier patternProperties schema or widen it',
      ],
    ],
  },
  'enum, const and dependencies': {
    verdict: 'incompatible',
    changes: [
      [
        'ENUM_ARRAY_CHANGED',
        '/properties/s/enum',
        '/s',
        ['backward', 'forward'],
        'keep every earlier enum value',
      ],
      ['ENUM_ARRAY_EXTENDED', '/properties/k/enum', '/k', ['forward'], 'keep every earlier enum value'],
      [
        'DEPENDENCY_ARRAY_ADDED',
        '/dependentRequired/k',
        '/',
        ['backward'],
        'do not add dependent requirements',
      ],
      [
        'DEPENDENCY_ARRAY_REMOVED',
        '/dependentRequired/s',
        '/',
        ['forward'],
        'do not add dependent requirements',
      ],
      [
        'ENUM_ARRAY_CHANGED',
        '/properties/s/enum',
        '/s',
        ['backward', 'forward'],
        'keep every earlier enum value',
      ],
      ['ENUM_ARRAY_EXTENDED', '/properties/k/enum', '/k', ['forward'], 'keep every earlier enum value'],
      [
        'DEPENDENCY_ARRAY_ADDED',
        '/dependentRequired/k',
        '/',
        ['backward'],
        'do not add dependent requirements',
      ],
    ],
  },
  'a change deep inside one of several identical oneOf copies': {
    verdict: 'undecided',
    changes: [
      ['TYPE_EXTENDED', '/type', '/', [], null],
      ['PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL', '/properties/kind', '/kind', [], null],
      ['PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL', '/properties/a', '/a', [], null],
      ['PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL', '/properties/child', '/child', [], null],
      ['REQUIRED_ATTRIBUTE_REMOVED', '/required', '/', [], null],
      ['MIN_PROPERTIES_REMOVED', '/minProperties', '/', [], null],
      ['SUM_TYPE_NARROWED', '/oneOf', '/', [], 'keep an oneOf branch for every earlier alternative'],
      ['TYPE_NARROWED', '/type', '/', [], null],
      ['PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL', '/oneOf/0/properties/kind', '/kind', [], null],
      ['PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL', '/oneOf/0/properties/a', '/a', [], null],
      ['PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL', '/oneOf/0/properties/child', '/child', [], null],
      ['REQUIRED_ATTRIBUTE_ADDED', '/required', '/', [], null],
      ['MIN_PROPERTIES_ADDED', '/minProperties', '/', [], null],
      ['PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL', '/oneOf/1/properties/kind', '/kind', [], null],
      ['PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL', '/oneOf/1/properties/a', '/a', [], null],
      ['PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL', '/oneOf/1/properties/child', '/child', [], null],
      ['PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL', '/oneOf/2/properties/kind', '/kind', [], null],
      ['PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL', '/oneOf/2/properties/a', '/a', [], null],
      ['PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL', '/oneOf/2/properties/child', '/child', [], null],
      ['SUM_TYPE_EXTENDED', '/oneOf', '/', [], 'keep an oneOf branch for every earlier alternative'],
    ],
  },
  'anyOf, not and if/then/else': {
    verdict: 'incompatible',
    changes: [
      ['TYPE_EXTENDED', '/type', '/', [], null],
      ['MIN_LENGTH_REMOVED', '/minLength', '/', [], null],
      ['SUM_TYPE_NARROWED', '/anyOf', '/', [], 'keep an anyOf branch for every earlier alternative'],
      ['TYPE_EXTENDED', '/if/type', '/', [], null],
      [
        'MIN_LENGTH_INCREASED',
        '/if/minLength',
        '/',
        ['backward'],
        'lower minLength back to 1 (or remove it) so earlier data stays valid',
      ],
      [
        'TYPE_CHANGED',
        '/if',
        '/',
        ['forward'],
        'keep the same kind of schema (STRICT compares structure; SEMANTIC compares accepted values)',
      ],
      ['TYPE_NARROWED', '/type', '/', [], null],
      ['MIN_LENGTH_ADDED', '/minLength', '/', [], null],
      ['MAX_LENGTH_ADDED', '/maxLength', '/', [], null],
      ['TYPE_NARROWED', '/if/type', '/', [], null],
      ['MAX_LENGTH_ADDED', '/if/maxLength', '/', [], null],
      ['SUM_TYPE_EXTENDED', '/anyOf', '/', ['forward'], 'keep an anyOf branch for every earlier alternative'],
    ],
  },
};

describe('explanations stay exactly as recorded', () => {
  it.each(CASES)('%s', (name, request) => {
    const result = checkCompatibility(request);
    const explained = result.changes.map((c): Explained => [
      c.type,
      c.schemaPath,
      c.instancePath,
      c.breaks,
      c.fix ?? null,
    ]);
    expect({ verdict: result.verdict, changes: explained }).toEqual(EXPECTED[name]);
  });

  it('gives the same answer whether equal subschemas are shared objects or copies', () => {
    for (const [, request] of CASES) {
      const copied = JSON.parse(JSON.stringify(request)) as CompatibilityRequest;
      expect(checkCompatibility(copied)).toEqual(checkCompatibility(request));
    }
  });
});
