import {
  AnonymizationError,
  type ContractDocument,
  KAnonymityError,
  resolveFieldPolicy,
} from '../../src/anonymization';
import { CharterClientError, createCharterClient } from '../../src/client';
import { createDataKey } from '../../src/keys';
import { fixedKeys } from '../anonymization/fixtures';
import { startRegistryStub, type RegistryStub } from './registry-stub';

const TOKEN = 'chk_live_0000000000test00_secret';
const contract: ContractDocument = {
  schema: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      email: { type: 'string', 'x-charter': { tags: ['pii:email'] } },
      name: { type: 'string', 'x-charter': { tags: ['pii:name'] } },
      card: { type: 'string', 'x-charter': { tags: ['pii:card'] } },
      contacts: {
        type: 'array',
        items: {
          type: 'object',
          properties: { email: { type: 'string', 'x-charter': { tags: ['pii:email'] } } },
        },
      },
    },
  },
  policy: {
    tags: {
      'pii:email': { operator: 'pseudonymize' },
      'pii:name': { operator: 'mask', keepLast: 2 },
      'pii:card': { operator: 'encrypt' },
    },
  },
};

describe('client.reader: the registry plan applied locally', () => {
  let stub: RegistryStub;
  const keys = fixedKeys(1);
  const plan = resolveFieldPolicy(contract, { roles: ['consumer'] });
  const record = {
    id: 'r1',
    email: 'ann@example.com',
    name: 'Ann Smith',
    card: '4111',
    extra: 'x',
    contacts: [{ email: 'b@example.com' }],
  };

  beforeEach(async () => {
    stub = await startRegistryStub();
    const dataKeys = [await createDataKey(keys, 'crm.customers', 1)];
    stub.reply(() => ({
      body: {
        data: {
          fieldPlan: {
            product: 'crm.customers',
            version: 3,
            contentHash: 'h',
            plan,
            dataKeys,
            clearFields: ['/id'],
          },
        },
      },
    }));
  });
  afterEach(() => stub.close());

  const client = () => createCharterClient({ url: stub.url, token: TOKEN, retries: 0 });

  it('fetches the plan once, names the principal, and never mutates the caller’s record', async () => {
    const reader = await client().reader('crm.customers', 3, { as: 'svc-a', keyProvider: keys });
    const before = structuredClone(record);
    const outputs = [reader.read(record), reader.read(record), ...reader.readMany([record, record])];
    expect(record).toEqual(before);
    expect(stub.requests).toHaveLength(1);
    expect(stub.requests[0]!.variables).toEqual({ product: 'crm.customers', version: '3', as: 'svc-a' });
    const [first, second] = outputs as [Record<string, any>, Record<string, any>];
    expect(Object.keys(first)).toEqual(['id', 'email', 'name', 'card', 'contacts']); // extra dropped
    expect(first.name).toBe('*******th');
    expect(first.email).toBe(second.email);
    expect(first.email).not.toBe(record.email);
    expect(first.contacts[0].email).not.toBe(record.contacts[0]!.email);
    expect(first.card).not.toBe(second.card); // random IV per encryption
    expect(reader.version).toBe(3);
  });

  it('fails the whole record on a missing key or an operator error', async () => {
    // Keys are fetched when the plan is compiled: without them no reader exists at all.
    await expect(client().reader('crm.customers', 'latest')).rejects.toMatchObject({
      code: 'KEY_UNAVAILABLE',
    });
    const reader = await client().reader('crm.customers', 'latest', { keyProvider: keys });
    const bad = { ...record, name: { first: 'Ann' } };
    expect(() => reader.read(bad)).toThrow(expect.objectContaining({ code: 'OPERATOR_TYPE_MISMATCH' }));
    expect(() => reader.readMany([record, bad])).toThrow(AnonymizationError);
  });

  it('exports a batch only as a k-anonymous dataset (P-19): without quasi-identifiers, all records form one group', async () => {
    const reader = await client().reader('crm.customers', 3, { keyProvider: keys });
    const exported = reader.exportMany([record, record, record, record, record]);
    expect(exported.records).toHaveLength(5);
    expect(exported.report).toEqual({ quasiIdentifiers: [], groups: 1, smallestGroup: 5, k: 5 });
    expect(() => reader.exportMany([record, record, record, record])).toThrow(KAnonymityError);
    expect(reader.exportMany([record, record], { k: 2 }).report.smallestGroup).toBe(2);
  });

  it('refuses a plan it cannot read', async () => {
    stub.reply(() => ({
      body: { data: { fieldPlan: { product: 'crm.customers', version: 1, plan: { planVersion: 9 } } } },
    }));
    await expect(client().reader('crm.customers')).rejects.toEqual(
      expect.objectContaining({ code: 'CHARTER_PROTOCOL' }),
    );
    await expect(client().reader('not a product')).rejects.toBeInstanceOf(CharterClientError);
  });
});
