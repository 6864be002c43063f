import { createHash, createHmac } from 'node:crypto';
import {
  AnonymizationError,
  compileAnonymizer,
  type ContractDocument,
  resolveFieldPolicy,
  revealValue,
  type Treatment,
} from '../../src/anonymization';
import { createDataKey, StaticKeyProvider, type WrappedDataKey } from '../../src/keys';
import goldenVectors from './pseudonymize-golden-vectors.json';
import { customerContract, customerRecord, deepFreeze, fixedKeys, randomKeys } from './fixtures';

const onlyEmail = (treatment: Treatment): ContractDocument => ({
  schema: {
    type: 'object',
    properties: { email: { type: 'string', 'x-charter': { tags: ['pii:email'] } }, n: {} },
  },
  policy: { tags: { 'pii:email': treatment } },
});

/** A schema declaring one leaf at a path template (`*` = array items). */
function schemaWithLeafAt(path: string): unknown {
  return path
    .slice(1)
    .split('/')
    .reduceRight<unknown>(
      (inner, segment) =>
        segment === '*'
          ? { type: 'array', items: inner }
          : { type: 'object', properties: { [segment]: inner } },
      {},
    );
}

function recordWithLeafAt(path: string, value: unknown): Record<string, unknown> {
  return path
    .slice(1)
    .split('/')
    .reduceRight<unknown>(
      (inner, segment) => (segment === '*' ? [inner] : { [segment]: inner }),
      value,
    ) as Record<string, unknown>;
}

async function anonymizerFor(
  contract: ContractDocument,
  product = 'crm',
  keys = fixedKeys(),
  dataKeys: WrappedDataKey[] = [],
) {
  return compileAnonymizer(resolveFieldPolicy(contract, { roles: [] }), keys, { product, dataKeys });
}

async function codeOf(action: () => unknown): Promise<string | undefined> {
  try {
    await action();
  } catch (error) {
    return error instanceof AnonymizationError ? error.code : 'NOT_CODED';
  }
  return undefined;
}

describe('pseudonymize', () => {
  it('is deterministic per key and context (P-01)', async () => {
    const anonymize = await anonymizerFor(onlyEmail({ operator: 'pseudonymize' }));
    const again = await anonymizerFor(onlyEmail({ operator: 'pseudonymize' }));
    expect(again({ email: 'ada@example.org' })).toEqual(anonymize({ email: 'ada@example.org' }));
    expect(anonymize({ email: 'ada@example.org' })['email']).not.toBe(
      anonymize({ email: 'ada@example.com' })['email'],
    );
  });

  it.each(goldenVectors.vectors)(
    'reproduces the shared golden vector for $product $path (P-01)',
    async (vector) => {
      const keys = new StaticKeyProvider(
        new Map([[vector.keyVersion, Buffer.from(vector.masterKeyHex, 'hex')]]),
        vector.keyVersion,
      );
      const treatment: Treatment = {
        operator: 'pseudonymize',
        ...(vector.context === undefined ? {} : { context: vector.context }),
        ...(vector.bytes === undefined ? {} : { bytes: vector.bytes }),
      };
      const contract: ContractDocument = {
        schema: schemaWithLeafAt(vector.path),
        policy: { fields: { [vector.path]: treatment } },
      };
      const anonymize = await anonymizerFor(contract, vector.product, keys);
      expect(JSON.stringify(anonymize(recordWithLeafAt(vector.path, vector.value)))).toContain(
        JSON.stringify(vector.expected),
      );
    },
  );

  it('differs across products and fields unless a linkage context is shared (P-02)', async () => {
    const crm = await anonymizerFor(onlyEmail({ operator: 'pseudonymize' }), 'crm');
    const shop = await anonymizerFor(onlyEmail({ operator: 'pseudonymize' }), 'shop');
    expect(crm({ email: 'ada@example.org' })['email']).not.toBe(shop({ email: 'ada@example.org' })['email']);
    const linkedCrm = await anonymizerFor(
      onlyEmail({ operator: 'pseudonymize', context: 'customer-link' }),
      'crm',
    );
    const linkedShop = await anonymizerFor(
      onlyEmail({ operator: 'pseudonymize', context: 'customer-link' }),
      'shop',
    );
    expect(linkedCrm({ email: 'ada@example.org' })['email']).toBe(
      linkedShop({ email: 'ada@example.org' })['email'],
    );
  });

  it('cannot be enumerated without the key, unlike an unkeyed hash (P-03)', async () => {
    const pins = Array.from({ length: 10_000 }, (_, n) => String(n).padStart(4, '0'));
    const unkeyed = new Set(pins.map((pin) => createHash('sha256').update(pin).digest('hex')));
    const secretPin = '4821';
    expect(unkeyed.has(createHash('sha256').update(secretPin).digest('hex'))).toBe(true);
    const anonymize = await anonymizerFor(onlyEmail({ operator: 'pseudonymize' }), 'crm', randomKeys());
    const target = anonymize({ email: secretPin })['email'] as string;
    const guessedKey = Buffer.alloc(32, 0x11);
    const attempts = pins.map(
      (pin) => `ps1:${createHmac('sha256', guessedKey).update(JSON.stringify(pin)).digest('base64url')}`,
    );
    expect(attempts.filter((attempt) => attempt === target)).toHaveLength(0);
  });

  it('carries the key version, changes on rotation and stays stable when pinned (P-10)', async () => {
    const contract = onlyEmail({ operator: 'pseudonymize' });
    const v1 = (await anonymizerFor(contract, 'crm', fixedKeys(1)))({ email: 'a@b.c' })['email'] as string;
    const v2 = (await anonymizerFor(contract, 'crm', fixedKeys(2)))({ email: 'a@b.c' })['email'] as string;
    expect(v1.startsWith('ps1:')).toBe(true);
    expect(v2.startsWith('ps2:')).toBe(true);
    expect(v2.slice(4)).not.toBe(v1.slice(4));
    const pinned = await anonymizerFor(
      onlyEmail({ operator: 'pseudonymize', keyVersion: 1 }),
      'crm',
      fixedKeys(2),
    );
    expect(pinned({ email: 'a@b.c' })['email']).toBe(v1);
  });

  it('keeps null, types numbers apart from strings and honours the output length (P-11)', async () => {
    const anonymize = await anonymizerFor(onlyEmail({ operator: 'pseudonymize', bytes: 16 }));
    expect(anonymize({ email: null })).toEqual({ email: null });
    const text = anonymize({ email: '42' })['email'] as string;
    expect(text).not.toBe(anonymize({ email: 42 })['email']);
    expect(Buffer.from(text.slice(4), 'base64url')).toHaveLength(16);
  });
});

describe('encrypt', () => {
  async function encryptSetup() {
    const keys = fixedKeys(1);
    const dataKeys = [await createDataKey(keys, 'crm', 1)];
    const anonymize = await anonymizerFor(onlyEmail({ operator: 'encrypt' }), 'crm', keys, dataKeys);
    const field = { path: '/email', treatment: { operator: 'encrypt' } as const };
    return { keys, dataKeys, anonymize, field };
  }

  it('round-trips through revealValue, preserving JSON types (P-08)', async () => {
    const { keys, dataKeys, anonymize, field } = await encryptSetup();
    for (const original of ['ada@example.org', 42, true, { nested: ['x'] }]) {
      const sealed = anonymize({ email: original })['email'] as string;
      expect(sealed).toMatch(/^enc1:[A-Za-z0-9_-]+$/);
      expect(JSON.stringify(sealed)).not.toContain('ada');
      await expect(
        revealValue(sealed, field, { keyProvider: keys, product: 'crm', dataKeys }),
      ).resolves.toEqual(original);
    }
  });

  it('fails authentication on a flipped bit, another field, another product or another key (P-09)', async () => {
    const { keys, dataKeys, anonymize, field } = await encryptSetup();
    const sealed = anonymize({ email: 'ada@example.org' })['email'] as string;
    const bytes = Buffer.from(sealed.slice(5), 'base64url');
    bytes[14] = (bytes[14] ?? 0) ^ 0x01;
    const flipped = `enc1:${bytes.toString('base64url')}`;
    const reveal = (value: string, path = '/email', product = 'crm', provider = keys, wrapped = dataKeys) =>
      revealValue(value, { ...field, path }, { keyProvider: provider, product, dataKeys: wrapped });
    expect(await codeOf(() => reveal(flipped))).toBe('DECRYPTION_FAILED');
    expect(await codeOf(() => reveal(sealed, '/other'))).toBe('DECRYPTION_FAILED');
    const otherKey = [await createDataKey(keys, 'crm', 1)];
    expect(await codeOf(() => reveal(sealed, '/email', 'crm', keys, otherKey))).toBe('DECRYPTION_FAILED');
    expect(await codeOf(() => reveal(sealed, '/email', 'shop', keys, dataKeys))).toBe('KEY_UNAVAILABLE');
  });

  it('keeps old ciphertexts readable after data-key and master-key rotation (P-10)', async () => {
    const { dataKeys, anonymize, field } = await encryptSetup();
    const old = anonymize({ email: 'ada@example.org' })['email'] as string;
    const rotated = fixedKeys(2);
    const allKeys = [...dataKeys, await createDataKey(rotated, 'crm', 2)];
    const next = await anonymizerFor(onlyEmail({ operator: 'encrypt' }), 'crm', rotated, allKeys);
    const fresh = next({ email: 'ada@example.org' })['email'] as string;
    expect(fresh.startsWith('enc2:')).toBe(true);
    const keys = { keyProvider: rotated, product: 'crm', dataKeys: allKeys };
    await expect(revealValue(old, field, keys)).resolves.toBe('ada@example.org');
    await expect(revealValue(fresh, field, keys)).resolves.toBe('ada@example.org');
  });

  it('fails compilation with a coded error when the data key is missing (P-15)', async () => {
    expect(
      await codeOf(() => anonymizerFor(onlyEmail({ operator: 'encrypt' }), 'crm', fixedKeys(), [])),
    ).toBe('KEY_UNAVAILABLE');
    expect(await codeOf(() => anonymizerFor(onlyEmail({ operator: 'pseudonymize', keyVersion: 9 })))).toBe(
      'KEY_UNAVAILABLE',
    );
  });
});

describe('compileAnonymizer on the customer contract', () => {
  async function customerAnonymizer(roles: string[] = [], consumer?: string) {
    const keys = fixedKeys();
    const dataKeys = [await createDataKey(keys, 'crm', 1)];
    const plan = resolveFieldPolicy(
      customerContract,
      consumer === undefined ? { roles } : { roles, consumer },
    );
    return compileAnonymizer(plan, keys, { product: 'crm', dataKeys });
  }

  it('applies operators on nested fields, array items and $ref definitions (P-12)', async () => {
    const out = (await customerAnonymizer())(customerRecord());
    expect(out['name']).toBeUndefined();
    expect(out['notes']).toBeUndefined();
    expect(out['birthDate']).toBe('1815');
    expect(out['age']).toBe(30);
    expect(out['home']).toEqual({ postcode: 'SW1', city: 'London' });
    expect(out['contacts']).toEqual([
      { kind: 'work', email: 'a****************gine', phone: '**************00' },
      { kind: 'home', email: 'l***************.org', phone: '**************01' },
    ]);
    expect((out['payment'] as { iban: string }).iban).toMatch(/^enc1:/);
  });

  it('never releases undeclared fields without an explicit grant (P-13)', async () => {
    const record = {
      ...customerRecord(),
      home: { city: 'London', flat: '4b' },
      contacts: [{ kind: 'x', pager: '123' }],
    };
    const out = (await customerAnonymizer())(record);
    expect(out).not.toHaveProperty('extra');
    expect(out['home']).toEqual({ city: 'London' });
    expect(out['contacts']).toEqual([{ kind: 'x' }]);
    const auditor = (await customerAnonymizer(['auditor']))(record);
    expect(auditor['extra']).toEqual({ secret: 'ada-secret-token' });
    const billing = (await customerAnonymizer([], 'billing'))({
      payment: { iban: 'GB33', reference: 'r-1' },
    });
    expect(billing['payment']).toEqual({ iban: 'GB33', reference: 'r-1' });
  });

  it('releases granted fields in clear and nothing else (support role)', async () => {
    const out = (await customerAnonymizer(['support']))(customerRecord());
    expect(out['email']).toBe('ada@example.org');
    expect((out['contacts'] as { phone: string }[]).map((contact) => contact.phone)).toEqual([
      '+44 20 7946 0000',
      '+44 20 7946 0001',
    ]);
    expect(out['name']).toBeUndefined();
  });

  it('never mutates the input, even deeply frozen, and shares no objects with it (P-14)', async () => {
    const input = deepFreeze(customerRecord());
    const snapshot = JSON.stringify(input);
    const out = (await customerAnonymizer(['auditor']))(input);
    expect(JSON.stringify(input)).toBe(snapshot);
    expect(out['extra']).not.toBe(input['extra']);
    expect(out['home']).not.toBe(input['home']);
  });

  it('fails the whole record with a coded error and no value in the message (P-15, P-17)', async () => {
    const anonymize = await customerAnonymizer();
    const bad = { ...customerRecord(), birthDate: 'the tenth of December, 1815' };
    let caught: unknown;
    try {
      anonymize(bad);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AnonymizationError);
    expect((caught as AnonymizationError).code).toBe('OPERATOR_INPUT_INVALID');
    expect((caught as AnonymizationError).path).toBe('/birthDate');
    expect((caught as Error).message).not.toContain('December');
    expect(await codeOf(() => anonymize({ ...customerRecord(), contacts: [{ phone: { n: 1 } }] }))).toBe(
      'OPERATOR_TYPE_MISMATCH',
    );
    expect(await codeOf(() => anonymize([] as unknown))).toBe('RECORD_NOT_OBJECT');
  });

  it('is idempotent for the one-way operators (P-16)', async () => {
    const contract: ContractDocument = {
      schema: {
        type: 'object',
        properties: {
          phone: { type: 'string', 'x-charter': { tags: ['pii:phone'] } },
          born: { type: 'string', 'x-charter': { tags: ['pii:birthdate'] } },
          age: { type: 'number', 'x-charter': { tags: ['pii:age'] } },
          zip: { type: 'string', 'x-charter': { tags: ['pii:postcode'] } },
        },
      },
      policy: {
        tags: {
          'pii:phone': { operator: 'mask', keepLast: 3 },
          'pii:birthdate': { operator: 'generalize', granularity: 'month' },
          'pii:age': { operator: 'generalize', granularity: 'band', width: 5 },
          'pii:postcode': { operator: 'generalize', granularity: 'prefix', length: 2 },
        },
      },
    };
    const anonymize = await anonymizerFor(contract);
    const once = anonymize({ phone: '0612345678', born: '1990-07-14T10:00:00Z', age: 47.5, zip: '75 011' });
    expect(once).toEqual({ phone: '*******678', born: '1990-07', age: 45, zip: '75' });
    expect(anonymize(once)).toEqual(once);
  });

  it('does not let a __proto__ member reach the output prototype', async () => {
    const auditor = await customerAnonymizer(['auditor']);
    const record = JSON.parse('{"id":"x","extra":{"__proto__":{"polluted":true}}}') as Record<
      string,
      unknown
    >;
    const out = auditor(record);
    expect(Object.getPrototypeOf(out['extra'])).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
