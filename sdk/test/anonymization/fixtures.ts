import { randomBytes } from 'node:crypto';
import { type ContractDocument, type PolicyDocument } from '../../src/anonymization';
import { StaticKeyProvider } from '../../src/keys';

/** Master key versions 1 and 2 with fixed material, so golden vectors stay stable. */
export function fixedKeys(current = 1): StaticKeyProvider {
  return new StaticKeyProvider(
    new Map([
      [1, Buffer.alloc(32, 0x11)],
      [2, Buffer.alloc(32, 0x22)],
    ]),
    current,
  );
}

export function randomKeys(): StaticKeyProvider {
  return new StaticKeyProvider(new Map([[1, randomBytes(32)]]), 1);
}

/** A customer record schema: nested object, array of contacts, $ref'd address, oneOf payment, open content. */
export const customerSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  properties: {
    id: { type: 'string' },
    email: { type: 'string', 'x-charter': { classification: 'confidential', tags: ['pii:email'] } },
    name: { type: 'string', 'x-charter': { tags: ['pii:name'] } },
    birthDate: { type: 'string', 'x-charter': { tags: ['pii:birthdate'] } },
    age: { type: 'integer', 'x-charter': { tags: ['pii:age'] } },
    country: { type: 'string', 'x-charter': { classification: 'public' } },
    notes: { type: 'string', 'x-charter': { classification: 'restricted' } },
    home: { $ref: '#/$defs/address' },
    contacts: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          kind: { type: 'string' },
          email: { type: 'string', 'x-charter': { tags: ['pii:email'] } },
          phone: { type: 'string', 'x-charter': { tags: ['pii:phone'] } },
        },
      },
    },
    payment: {
      oneOf: [
        { type: 'object', properties: { iban: { type: 'string', 'x-charter': { tags: ['pii:iban'] } } } },
        { type: 'object', properties: { card: { type: 'string', 'x-charter': { tags: ['pii:card'] } } } },
      ],
    },
  },
  $defs: {
    address: {
      type: 'object',
      properties: {
        street: { type: 'string', 'x-charter': { tags: ['pii:address'] } },
        postcode: { type: 'string', 'x-charter': { tags: ['pii:postcode'] } },
        city: { type: 'string' },
      },
    },
  },
} as const;

export const customerPolicy: PolicyDocument = {
  tags: {
    'pii:email': { operator: 'pseudonymize' },
    'pii:phone': { operator: 'mask', keepLast: 2 },
    'pii:birthdate': { operator: 'generalize', granularity: 'year' },
    'pii:age': { operator: 'generalize', granularity: 'band', width: 10 },
    'pii:postcode': { operator: 'generalize', granularity: 'prefix', length: 3 },
    'pii:iban': { operator: 'encrypt' },
  },
  fields: { '/contacts/*/email': { operator: 'mask', keepFirst: 1, keepLast: 4 } },
  access: [
    { role: 'support', fields: ['/email', '/contacts/*/phone'] },
    { consumer: 'billing', fields: ['/payment/**'] },
    { role: 'auditor', fields: ['/extra'] },
  ],
};

export const customerContract: ContractDocument = { schema: customerSchema, policy: customerPolicy };

export function customerRecord(): Record<string, unknown> {
  return {
    id: 'c-1',
    email: 'ada@example.org',
    name: 'Ada Lovelace',
    birthDate: '1815-12-10',
    age: 36,
    country: 'GB',
    notes: 'prefers post',
    home: { street: '12 St James Square', postcode: 'SW1Y 4JH', city: 'London' },
    contacts: [
      { kind: 'work', email: 'ada@analytical.engine', phone: '+44 20 7946 0000' },
      { kind: 'home', email: 'lovelace@example.org', phone: '+44 20 7946 0001' },
    ],
    payment: { iban: 'GB33BUKB20201555555555' },
    extra: { secret: 'ada-secret-token' },
  };
}

/** Freezes every object and array, so any mutation in the code under test throws. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const member of Object.values(value)) deepFreeze(member);
    Object.freeze(value);
  }
  return value;
}
