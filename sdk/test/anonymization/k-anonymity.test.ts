import {
  anonymizeForExport,
  AnonymizationError,
  compileAnonymizer,
  type ContractDocument,
  DEFAULT_K,
  KAnonymityError,
  quasiIdentifierPaths,
  resolveFieldPolicy,
} from '../../src/anonymization';
import { fixedKeys } from './fixtures';

/** P-19: generalization is deterministic, and an export refuses quasi-identifier groups under k. */
const qi = (type: string, tag: string) => ({ type, 'x-charter': { tags: [tag, 'pii:quasi'] } });
const contract: ContractDocument = {
  schema: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      email: { type: 'string', 'x-charter': { tags: ['pii:email'] } },
      birthDate: qi('string', 'qi:birthdate'),
      zip: qi('string', 'qi:postcode'),
      age: qi('integer', 'qi:age'),
      visits: {
        type: 'array',
        items: { type: 'object', properties: { city: qi('string', 'qi:city'), n: { type: 'integer' } } },
      },
    },
  },
  policy: {
    tags: {
      'pii:email': { operator: 'pseudonymize' },
      'qi:birthdate': { operator: 'generalize', granularity: 'year' },
      'qi:postcode': { operator: 'generalize', granularity: 'prefix', length: 3 },
      'qi:age': { operator: 'generalize', granularity: 'band', width: 10 },
      'qi:city': { operator: 'generalize', granularity: 'prefix', length: 2 },
    },
    access: [{ role: 'analyst-clear-zip', fields: ['/zip'] }],
  },
};

const compile = (roles: string[] = []) => {
  const plan = resolveFieldPolicy(contract, { roles });
  return compileAnonymizer(plan, fixedKeys(), { product: 'crm.visits' }).then((anonymize) => ({
    plan,
    anonymize,
  }));
};

/** `count` people born in 1980 (varied days), ZIP 750xx, aged 30..39, visiting Paris arrondissements. */
function cohort(count: number, start: number, birthYear = 1980, zip = '750', age = 30) {
  return Array.from({ length: count }, (_, i) => ({
    id: `p-${start + i}`,
    email: `person${start + i}@example.org`,
    birthDate: `${birthYear}-0${1 + (i % 9)}-1${i % 10}`,
    zip: `${zip}${String(10 + i).padStart(2, '0')}`,
    age: age + (i % 10),
    visits: [{ city: `Pa-${i}`, n: i }],
  }));
}

describe('P-19 generalization and k-anonymity on exports', () => {
  it('date→year, ZIP→first 3 digits, age→10-year band, the same in every compiled anonymizer', async () => {
    const [a, b] = [await compile(), await compile()];
    const record = cohort(1, 0)[0]!;
    const released = a.anonymize(record);
    expect(released).toMatchObject({ birthDate: '1980', zip: '750', age: 30, visits: [{ city: 'Pa' }] });
    expect(b.anonymize(record)).toEqual(released);
    expect(
      a.anonymize({ ...record, age: 39, zip: '75999', birthDate: '1980-12-31T23:59:00Z' }),
    ).toMatchObject({
      age: 30,
      zip: '759',
      birthDate: '1980',
    });
  });

  it('names the quasi-identifiers by their qi: tags, array items included', async () => {
    const { plan } = await compile();
    expect(quasiIdentifierPaths(plan)).toEqual(['/age', '/birthDate', '/visits/*/city', '/zip']);
  });

  it('releases a dataset whose every generalized group holds at least k records', async () => {
    const { plan, anonymize } = await compile();
    const records = [...cohort(5, 0), ...cohort(6, 100, 1990, '691', 40)];
    const { records: released, report } = anonymizeForExport(anonymize, plan, records);
    expect(released).toHaveLength(11);
    expect(report).toEqual({
      quasiIdentifiers: ['/age', '/birthDate', '/visits/*/city', '/zip'],
      groups: 2,
      smallestGroup: 5,
      k: DEFAULT_K,
    });
  });

  it('refuses a dataset with a group under k (default 5) with the smallest group size and no values', async () => {
    const { plan, anonymize } = await compile();
    const records = [...cohort(5, 0), ...cohort(2, 100, 1990, '691', 40)];
    let refused: unknown;
    try {
      anonymizeForExport(anonymize, plan, records);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(KAnonymityError);
    const error = refused as KAnonymityError;
    expect(error.code).toBe('K_ANONYMITY_NOT_MET');
    expect(error.report).toMatchObject({ groups: 2, smallestGroup: 2, k: 5 });
    expect(error.message).toBe('the smallest quasi-identifier group has 2 records; k is 5');
    for (const value of ['1990', '691', '40', 'person100', 'Pa'])
      expect(JSON.stringify({ message: error.message, report: error.report })).not.toContain(value);
    // The same dataset passes a caller-chosen k of 2.
    expect(anonymizeForExport(anonymize, plan, records, 2).report.smallestGroup).toBe(2);
  });

  it('groups on released values: a principal reading ZIP codes in clear makes every group a singleton', async () => {
    const { plan, anonymize } = await compile(['analyst-clear-zip']);
    expect(() => anonymizeForExport(anonymize, plan, cohort(10, 0))).toThrow(KAnonymityError);
  });

  it('refuses a k outside 1..1000', async () => {
    const { plan, anonymize } = await compile();
    for (const k of [0, 1.5, 1001])
      expect(() => anonymizeForExport(anonymize, plan, cohort(5, 0), k)).toThrow(AnonymizationError);
  });
});
