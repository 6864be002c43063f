import { type AddressInfo } from 'node:net';
import {
  createCharterClient,
  type KeyProvider,
  revealValue,
  StaticKeyProvider,
  type WrappedDataKey,
} from '@charter/sdk';
import { contractDocument } from '../factories/contracts';
import { createProduct, publish } from '../support/registry';
import { firstCode, startTestApp, type TestApp } from '../support/test-app';
import { governedPolicy, governedRecords, governedSchema, masterKeys } from './governance-fixtures';

const PRODUCT = 'crm.parity';
const COUNT = 10_000;
const BATCH = 1000;
const READ = `query($p: String!, $payloads: [JSON!]!) {
  readPayloads(product: $p, version: "latest", payloads: $payloads, purpose: "parity test") { records } }`;

/**
 * P-18: the SDK reader and the service's readPayloads give the same bytes for the same principal.
 * `encrypt` uses a random IV, so `/ssn` is compared after decrypting both sides with the kernel;
 * every other member (pseudonymize, mask, generalize, redact, undeclared drop) is compared as is.
 */
describe('SDK reader and readPayloads agree byte for byte on 10,000 generated records', () => {
  let t: TestApp;
  let keys: KeyProvider;
  let url: string;
  const records = governedRecords(COUNT, 2026);

  beforeAll(async () => {
    const config = masterKeys();
    keys = StaticKeyProvider.fromEnv({ CHARTER_MASTER_KEYS: config.list!, CHARTER_MASTER_KEY_CURRENT: '2' });
    t = await startTestApp({ config: { masterKeys: config } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    await createProduct(t, 'crm', 'parity');
    const document = contractDocument({ schema: governedSchema, policy: governedPolicy });
    expect((await publish(t, PRODUCT, JSON.stringify(document))).__typename).toBe('ContractVersionPublished');
  }, 60_000);

  afterAll(() => t.close());

  const decrypted = async (record: Record<string, unknown>, dataKeys: readonly WrappedDataKey[]) => {
    if (typeof record.ssn !== 'string') return record;
    const ssn = await revealValue(
      record.ssn,
      { path: '/ssn', treatment: { operator: 'encrypt' } },
      {
        keyProvider: keys,
        product: PRODUCT,
        dataKeys,
      },
    );
    return { ...record, ssn };
  };

  it.each([
    ['plain-consumer', [{ role: 'consumer', product: PRODUCT }]],
    ['parity-owner', [{ role: 'owner', product: PRODUCT }]],
    ['email-reader', [{ role: 'consumer', product: PRODUCT, clearFields: ['/email'] }]],
  ])(
    'as %s',
    async (name, grants) => {
      const token = await t.principalWith(name, grants);
      const reader = await createCharterClient({ url, token }).reader(PRODUCT, 'latest', {
        as: name,
        keyProvider: keys,
      });
      const planned = await t.gqlAs(token, `query { fieldPlan(product: "${PRODUCT}") { dataKeys } }`);
      if (planned.errors) throw new Error(JSON.stringify(planned.errors));
      const dataKeys = planned.data!.fieldPlan.dataKeys as WrappedDataKey[];
      let compared = 0;
      for (let start = 0; start < COUNT; start += BATCH) {
        const batch = records.slice(start, start + BATCH);
        const response = await t.gqlAs(token, READ, { p: PRODUCT, payloads: batch });
        expect(firstCode(response)).toBe('OK');
        const served = response.data!.readPayloads.records as Record<string, unknown>[];
        const local = reader.readMany(batch);
        for (let i = 0; i < batch.length; i += 1) {
          const [a, b] = [await decrypted(served[i]!, dataKeys), await decrypted(local[i]!, dataKeys)];
          if (JSON.stringify(a) !== JSON.stringify(b)) expect([start + i, b]).toEqual([start + i, a]);
          compared += 1;
        }
      }
      expect(compared).toBe(COUNT);
      // The decrypted ssn is the original: the comparison above did not compare two failures.
      expect((await decrypted(reader.read(records[0]!), dataKeys)).ssn).toBe(records[0]!.ssn);
    },
    120_000,
  );
});
