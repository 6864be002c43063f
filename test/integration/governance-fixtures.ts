import { randomBytes } from 'node:crypto';
import { type AppConfig } from '../../src/config/app-config';

/** Master keys as the environment would give them: never stored in the database. */
export function masterKeys(): AppConfig['masterKeys'] {
  const key = (): string => randomBytes(32).toString('base64');
  return { list: `1:${key()},2:${key()}`, current: '2', file: null };
}

const pii = (tag: string, extra: Record<string, unknown> = {}) => ({
  type: 'string',
  maxLength: 120,
  ...extra,
  'x-charter': { tags: [tag] },
});

/** An open schema: members it does not declare may arrive and must not be released. */
export const governedSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 40 },
    amount: { type: 'number' },
    email: pii('pii:email'),
    name: pii('pii:name'),
    phone: pii('pii:phone'),
    postcode: pii('pii:postcode'),
    ssn: pii('pii:ssn'),
    birthDate: { type: 'string', maxLength: 10, 'x-charter': { classification: 'confidential' } },
    contacts: {
      type: 'array',
      items: {
        type: 'object',
        properties: { kind: { type: 'string', maxLength: 10 }, email: pii('pii:email') },
      },
    },
  },
  additionalProperties: true,
};

/** phone has no rule on purpose: fail closed (redact). */
export const governedPolicy = {
  tags: {
    'pii:email': { operator: 'pseudonymize' },
    'pii:name': { operator: 'mask', keepFirst: 1 },
    'pii:postcode': { operator: 'generalize', granularity: 'prefix', length: 2 },
    'pii:ssn': { operator: 'encrypt' },
  },
  classifications: { confidential: { operator: 'generalize', granularity: 'year' } },
  access: [{ role: 'owner', fields: ['/name'], justification: 'owners contact their customers' }],
};

/** Deterministic generated records, every declared field present plus one undeclared member. */
export function governedRecords(count: number, seed = 7): Record<string, unknown>[] {
  let state = seed;
  const next = (): number => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const word = (length: number): string =>
    Array.from({ length }, () => 'abcdefghijklmnopqrstuvwxyzäéø'[Math.floor(next() * 29)]).join('');
  return Array.from({ length: count }, (_, i) => ({
    id: `r-${i}`,
    amount: Math.round(next() * 100000) / 100,
    email: `${word(6)}${i}@example.com`,
    name: `${word(1).toUpperCase()}${word(5)} ${word(7)}`,
    phone: `+3361${String(i).padStart(7, '0')}`,
    postcode: String(10000 + Math.floor(next() * 89999)),
    ssn: `1${String(Math.floor(next() * 1e12)).padStart(12, '0')}`,
    birthDate: `19${50 + Math.floor(next() * 49)}-0${1 + Math.floor(next() * 8)}-1${Math.floor(next() * 9)}`,
    contacts: [{ kind: 'work', email: `${word(4)}${i}@corp.example` }],
    internalNote: `note ${word(8)}`,
  }));
}

const quasi = (type: string, tag: string) => ({ type, maxLength: 40, 'x-charter': { tags: [tag] } });

/** An export schema: three quasi-identifiers (tags qi:*) generalized by the policy, one PII field. */
export const exportSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 40 },
    email: pii('pii:email'),
    birthDate: quasi('string', 'qi:birthdate'),
    zip: quasi('string', 'qi:postcode'),
    age: { type: 'integer', 'x-charter': { tags: ['qi:age'] } },
  },
};

export const exportPolicy = {
  tags: {
    'pii:email': { operator: 'redact' },
    'qi:birthdate': { operator: 'generalize', granularity: 'year' },
    'qi:postcode': { operator: 'generalize', granularity: 'prefix', length: 3 },
    'qi:age': { operator: 'generalize', granularity: 'band', width: 10 },
  },
};

/** `count` people born in `year`, living in ZIP codes `<zip>xx`, aged `age`..`age + 9`. */
export function exportCohort(count: number, start: number, year: string, zip: string, age: number) {
  return Array.from({ length: count }, (_, i) => ({
    id: `p-${start + i}`,
    email: `person${start + i}@example.org`,
    birthDate: `${year}-0${1 + (i % 9)}-1${i % 10}`,
    zip: `${zip}${String(10 + i).padStart(2, '0')}`,
    age: age + (i % 10),
  }));
}
