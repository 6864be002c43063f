import fc from 'fast-check';
import {
  compileAnonymizer,
  type ContractDocument,
  createFpeCipher,
  maskText,
  resolveFieldPolicy,
  type Treatment,
  validatePolicy,
} from '../../src/anonymization';
import { createDataKey } from '../../src/keys';
import { fixedKeys } from './fixtures';

/**
 * P-16: applying a policy to its own output changes nothing. Every operator is covered on a top
 * level leaf, a nested member and array items; fpe is the one documented exception (its output is
 * indistinguishable from an input by design, so a second pass encrypts again).
 */
const tagged = (type: string) => ({ type, 'x-charter': { tags: ['pii:x'] } });
const schemaOf = (type: string) => ({
  type: 'object',
  properties: {
    top: tagged(type),
    nested: { type: 'object', properties: { inner: tagged(type) } },
    items: { type: 'array', items: { type: 'object', properties: { value: tagged(type) } } },
    plain: { type: 'string' },
  },
});

async function anonymizerFor(treatment: Treatment, type: string) {
  const contract: ContractDocument = { schema: schemaOf(type), policy: { tags: { 'pii:x': treatment } } };
  expect(validatePolicy(contract.policy).ok).toBe(true);
  const keys = fixedKeys(1);
  return compileAnonymizer(resolveFieldPolicy(contract, { roles: [] }), keys, {
    product: 'crm.customers',
    dataKeys: [await createDataKey(keys, 'crm.customers', 1)],
  });
}

const recordOf = (value: fc.Arbitrary<unknown>) =>
  fc.record({
    top: fc.option(value, { nil: null }),
    nested: fc.record({ inner: value }),
    items: fc.array(fc.record({ value }), { maxLength: 4 }),
    plain: fc.string(),
  });

const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
);
const isoDate = fc
  .date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
  .map((date) => date.toISOString());

const cases: [string, Treatment, string, fc.Arbitrary<unknown>][] = [
  ['redact', { operator: 'redact' }, 'string', text],
  ['nullify', { operator: 'nullify' }, 'string', text],
  ['replace', { operator: 'replace', value: '<EMAIL>' }, 'string', text],
  ['mask (first/last)', { operator: 'mask', keepFirst: 2, keepLast: 3 }, 'string', text],
  ['mask (last, custom char)', { operator: 'mask', keepLast: 2, char: '•' }, 'string', text],
  ['mask (numbers)', { operator: 'mask', keepFirst: 1 }, 'number', fc.integer()],
  ['generalize year', { operator: 'generalize', granularity: 'year' }, 'string', isoDate],
  ['generalize month', { operator: 'generalize', granularity: 'month' }, 'string', isoDate],
  [
    'generalize band',
    { operator: 'generalize', granularity: 'band', width: 10 },
    'number',
    fc.double({ min: -1e15, max: 1e15, noNaN: true }),
  ],
  ['generalize prefix', { operator: 'generalize', granularity: 'prefix', length: 3 }, 'string', text],
  ['pseudonymize', { operator: 'pseudonymize' }, 'string', text],
  [
    'pseudonymize (16 bytes, context)',
    { operator: 'pseudonymize', bytes: 16, context: 'link' },
    'string',
    text,
  ],
  ['pseudonymize (numbers)', { operator: 'pseudonymize' }, 'number', fc.integer()],
  ['encrypt', { operator: 'encrypt' }, 'string', text],
  ['encrypt (numbers)', { operator: 'encrypt' }, 'number', fc.integer()],
  ['keep', { operator: 'keep', justification: 'needed for the support desk' }, 'string', text],
];

describe('P-16 idempotence: anonymize(anonymize(r)) equals anonymize(r)', () => {
  it.each(cases)('%s', async (_name, treatment, type, value) => {
    const anonymize = await anonymizerFor(treatment, type);
    fc.assert(
      fc.property(recordOf(value), (record) => {
        const once = anonymize(record);
        expect(anonymize(once)).toEqual(once);
      }),
      { numRuns: 300 },
    );
  });

  it('masks a value whose kept characters would fuse with the mask character as a whole', () => {
    // U+0600 is a prepend mark: kept before "*" it joins it into one grapheme; U+0301 after a
    // control starts a grapheme of its own but joins a "*" before it. Either way a second pass
    // counts 9 characters instead of 10, and 5 revealed of 9 exceeds the 0.5 ratio.
    const treatment = { operator: 'mask', keepFirst: 2, keepLast: 3 } as const;
    for (const value of ['a\u0600\nbcdefgh', 'abcdef\n\u0301xy']) {
      const once = maskText(value, treatment);
      expect(maskText(once, treatment)).toBe(once);
      expect(once).toBe('*'.repeat(10));
    }
    // The ordinary case still keeps its characters.
    expect(maskText('Zoë Ångström', treatment)).toBe('Zo*******röm');
  });

  it('re-pseudonymizes a pseudonym only when the policy says so', async () => {
    const again = await anonymizerFor({ operator: 'pseudonymize', repseudonymize: true }, 'string');
    const once = again({ top: 'ada@example.org', nested: { inner: 'x' }, items: [] });
    const twice = again(once);
    expect(twice.top).not.toBe(once.top);
    expect(twice.top).toMatch(/^ps1:[A-Za-z0-9_-]{43}$/);
    expect(
      validatePolicy({ tags: { 'pii:x': { operator: 'pseudonymize', repseudonymize: 'yes' } } }).ok,
    ).toBe(false);
  });

  it('recognises its own output only: a look-alike ciphertext is encrypted, a foreign pseudonym length is hashed', async () => {
    const encrypt = await anonymizerFor({ operator: 'encrypt' }, 'string');
    const real = encrypt({ top: 'secret', nested: { inner: 'x' }, items: [] }).top as string;
    const forged = `${real.slice(0, -4)}${real.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    const out = encrypt({ top: forged, nested: { inner: 'x' }, items: [] }).top as string;
    expect(out).not.toBe(forged);
    expect(out).toMatch(/^enc1:/);
    const pseudonymize = await anonymizerFor({ operator: 'pseudonymize' }, 'string');
    const short = 'ps1:abc';
    expect(pseudonymize({ top: short, nested: { inner: 'x' }, items: [] }).top).not.toBe(short);
  });

  it('fpe is the documented exception: a second pass encrypts again, and decrypting twice returns the input', () => {
    const cipher = createFpeCipher(Buffer.alloc(32, 5), 'digits', '/card', '/card');
    const card = '4111111111111111';
    const once = cipher.encrypt(card);
    const twice = cipher.encrypt(once);
    expect(twice).not.toBe(once);
    expect(cipher.decrypt(cipher.decrypt(twice))).toBe(card);
  });
});
