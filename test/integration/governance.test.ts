import { type AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { createCharterClient, StaticKeyProvider } from '@charter/sdk';
import { Client } from 'pg';
import { contractDocument } from '../factories/contracts';
import { auditRows } from '../support/audit-rows';
import { createProduct, publish } from '../support/registry';
import { createLogger } from '../../src/common/logging/logger';
import { firstCode, startTestApp, type TestApp } from '../support/test-app';
import {
  exportCohort,
  exportPolicy,
  exportSchema,
  governedPolicy,
  governedRecords,
  governedSchema,
  masterKeys,
} from './governance-fixtures';

const PRODUCT = 'crm.customers';
const READ = `query($p: String!, $payloads: [JSON!]!, $purpose: String!) {
  readPayloads(product: $p, version: "latest", payloads: $payloads, purpose: $purpose) { version records clearFields } }`;
const REVEAL = `mutation($p: String!, $f: String!, $values: [JSON!]!, $j: String!) {
  revealValues(product: $p, field: $f, values: $values, justification: $j) }`;
const CONTRACT = `query($p: String!) { contractVersion(product: $p) { document text } }`;
const EXPORTS = 'crm.exports';
const EXPORT = `query($p: String!, $payloads: [JSON!]!, $k: Int) {
  exportPayloads(product: $p, payloads: $payloads, purpose: "quarterly study", k: $k) {
    records quasiIdentifiers groups smallestGroup k } }`;
const PLAN_AS = `query($p: String!, $as: String) { fieldPlan(product: $p, as: $as) { clearFields plan } }`;
const PROTECTED = ['/email', '/name', '/phone', '/postcode', '/ssn', '/birthDate', '/contacts/*/email'];

interface AuditRow {
  action: string;
  outcome: string;
  reason: string;
  resource: { fieldPaths: string[]; product: string; productId?: string; subject?: string };
  actor: { principalId: string };
  row: string;
}

/** Top-level members (and contact emails) whose value came back unchanged, as paths. */
function clearIn(original: Record<string, unknown>, seen: Record<string, unknown>): string[] {
  const paths = Object.keys(seen)
    .filter((key) => key !== 'contacts' && JSON.stringify(seen[key]) === JSON.stringify(original[key]))
    .map((key) => `/${key}`);
  const contact = (seen.contacts as { email?: unknown }[] | undefined)?.[0];
  if (contact?.email === (original.contacts as { email: string }[])[0]!.email)
    paths.push('/contacts/*/email');
  return paths.sort();
}

describe('field-level access: readPayloads, revealValues, contract reads', () => {
  let t: TestApp;
  let db: Client;
  const tokens: Record<string, string> = {};
  const records = governedRecords(3);
  const keyConfig = masterKeys();

  const lastAudit = async (action: string): Promise<AuditRow> => {
    const rows = await db.query<AuditRow>(
      `SELECT action, outcome, reason, resource, actor, to_jsonb(audit_rows)::text AS row FROM ${auditRows()}
       WHERE action = $1 ORDER BY seq DESC LIMIT 1`,
      [action],
    );
    return rows.rows[0]!;
  };
  const read = (token: string, payloads: unknown[] = records, purpose = 'support ticket 42') =>
    t.gqlAs(token, READ, { p: PRODUCT, payloads, purpose });

  beforeAll(async () => {
    t = await startTestApp({ config: { masterKeys: keyConfig } });
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    await createProduct(t, 'crm', 'customers');
    const published = await publish(
      t,
      PRODUCT,
      JSON.stringify(contractDocument({ schema: governedSchema, policy: governedPolicy })),
    );
    expect(published.__typename).toBe('ContractVersionPublished');
    tokens.consumer = await t.principalWith('plain-consumer', [{ role: 'consumer', product: PRODUCT }]);
    tokens.emailConsumer = await t.principalWith('email-consumer', [
      { role: 'consumer', product: PRODUCT, clearFields: ['/email', '/contacts/*/email'] },
    ]);
    tokens.owner = await t.principalWith('crm-owner', [{ role: 'owner', product: PRODUCT }]);
    tokens.producer = await t.principalWith('crm-producer', [{ role: 'producer', product: PRODUCT }]);
    tokens.governance = await t.principalWith('crm-steward', [{ role: 'governance', domain: 'crm' }]);
    tokens.ci = await t.principalWith('crm-ci', [{ role: 'ci', product: PRODUCT }]);
    tokens.admin = await t.principalWith('second-admin', [{ role: 'admin' }]);
    await createProduct(t, 'crm', 'exports');
    const exportContract = contractDocument({ schema: exportSchema, policy: exportPolicy });
    expect((await publish(t, EXPORTS, JSON.stringify(exportContract))).__typename).toBe(
      'ContractVersionPublished',
    );
    tokens.exporter = await t.principalWith('crm-exporter', [{ role: 'consumer', product: EXPORTS }]);
    tokens.zipReader = await t.principalWith('crm-zip-reader', [
      { role: 'consumer', product: EXPORTS, clearFields: ['/zip'] },
    ]);
  }, 60_000);

  afterAll(async () => {
    await db.end();
    await t.close();
  });

  const declared = ['/amount', '/id'];
  it.each([
    ['consumer', declared],
    ['producer', declared],
    ['admin', declared],
    ['emailConsumer', [...declared, '/contacts/*/email', '/email']],
    ['owner', [...declared, '/name']],
    ['governance', [...declared, ...PROTECTED, '/internalNote']],
  ])('%s sees exactly the fields its grants release, and the read is audited', async (who, expected) => {
    const response = await read(tokens[who]!);
    expect(firstCode(response)).toBe('OK');
    const seen = response.data!.readPayloads.records as Record<string, unknown>[];
    expect(seen).toHaveLength(records.length);
    seen.forEach((record, i) => {
      expect(clearIn(records[i]!, record)).toEqual([...expected].sort());
    });
    const audit = await lastAudit('payload.read');
    const protectedClear = PROTECTED.filter((path) => expected.includes(path)).sort();
    expect(audit.resource.fieldPaths.filter((path) => PROTECTED.includes(path)).sort()).toEqual(
      protectedClear,
    );
    expect(audit.reason).toBe('purpose: support ticket 42');
    expect(audit.resource.product).toBe(PRODUCT);
    // Paths only: not one value of the records is in the audit row.
    for (const record of records)
      for (const value of [record.email, record.ssn, record.name, record.phone])
        expect(audit.row).not.toContain(String(value));
  });

  it('applies each operator where the field is not released', async () => {
    const seen = ((await read(tokens.consumer!)).data!.readPayloads.records as Record<string, any>[])[0]!;
    const original = records[0]!;
    expect(seen).not.toHaveProperty('phone'); // no rule: redacted, fail closed
    expect(seen).not.toHaveProperty('internalNote'); // undeclared: dropped
    expect(seen.name).toMatch(new RegExp(`^${String(original.name)[0]}\\*+$`, 'u'));
    expect(seen.postcode).toBe(String(original.postcode).slice(0, 2));
    expect(seen.birthDate).toBe(String(original.birthDate).slice(0, 4));
    expect(seen.email).not.toBe(original.email);
    expect(seen.contacts[0].kind).toBe('work');
    const again = (await read(tokens.producer!)).data!.readPayloads.records[0];
    expect(again.email).toBe(seen.email); // pseudonyms are deterministic
    expect(again.ssn).not.toBe(seen.ssn); // encryption is not (random IV)
  });

  it('ci may not read product data at all', async () => {
    expect(firstCode(await read(tokens.ci!))).toBe('FORBIDDEN');
  });

  it('hands out a field plan for the caller itself, and audits the grant', async () => {
    const own = await t.gqlAs(tokens.emailConsumer!, PLAN_AS, { p: PRODUCT, as: 'email-consumer' });
    expect(own.data!.fieldPlan.clearFields).toEqual(expect.arrayContaining(['/email', '/contacts/*/email']));
    const audit = await lastAudit('field-plan.grant');
    expect(audit.resource.fieldPaths).toEqual(own.data!.fieldPlan.clearFields);
    expect(audit.resource.subject).toBeUndefined();
    expect(firstCode(await t.gqlAs(tokens.consumer!, PLAN_AS, { p: PRODUCT }))).toBe('OK');
  });

  const principalId = async (name: string): Promise<string> =>
    (await db.query<{ id: string }>('SELECT id FROM principals WHERE name = $1', [name])).rows[0]!.id;

  it('hands out another principal’s plan to policy managers only, audited with both identities', async () => {
    const own = (await t.gqlAs(tokens.emailConsumer!, PLAN_AS, { p: PRODUCT })).data!.fieldPlan;
    for (const who of ['governance', 'admin']) {
      const onBehalf = await t.gqlAs(tokens[who]!, PLAN_AS, { p: PRODUCT, as: 'email-consumer' });
      expect([who, firstCode(onBehalf)]).toEqual([who, 'OK']);
      expect(onBehalf.data!.fieldPlan).toEqual(own);
      const audit = await lastAudit('field-plan.grant');
      expect(audit.actor.principalId).toBe(
        await principalId(who === 'governance' ? 'crm-steward' : 'second-admin'),
      );
      expect(audit.resource.subject).toBe(`principal:${await principalId('email-consumer')}`);
      expect(audit.reason).toBe(`on behalf of principal ${await principalId('email-consumer')}`);
      expect(audit.resource.fieldPaths).toEqual(own.clearFields);
    }
    const before = await lastAudit('field-plan.grant');
    for (const who of ['consumer', 'emailConsumer', 'owner', 'producer']) {
      const refused = await t.gqlAs(tokens[who]!, PLAN_AS, { p: PRODUCT, as: 'crm-steward' });
      expect([who, firstCode(refused)]).toEqual([who, 'FORBIDDEN']);
      expect(refused.data).toBeNull();
    }
    expect((await lastAudit('field-plan.grant')).row).toBe(before.row);
    const denied = await lastAudit('authz.denied');
    expect(denied.outcome).toBe('denied');
    expect(firstCode(await t.gqlAs(tokens.governance!, PLAN_AS, { p: PRODUCT, as: 'nobody-here' }))).toBe(
      'NOT_FOUND',
    );
    // A principal that may not read the product's data gets no plan, even through governance.
    expect(firstCode(await t.gqlAs(tokens.governance!, PLAN_AS, { p: PRODUCT, as: 'crm-ci' }))).toBe(
      'FORBIDDEN',
    );
    expect((await lastAudit('field-plan.grant')).row).toBe(before.row);
  });

  it('SDK client.reader as another principal: allowed for governance, refused for a consumer', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    const record = governedRecords(1, 99)[0]!;
    const keyProvider = StaticKeyProvider.fromEnv({
      CHARTER_MASTER_KEYS: keyConfig.list!,
      CHARTER_MASTER_KEY_CURRENT: keyConfig.current!,
    });
    const steward = createCharterClient({ url, token: tokens.governance! });
    const asReader = await steward.reader(PRODUCT, 'latest', { as: 'email-consumer', keyProvider });
    expect(asReader.clearFields).toEqual(expect.arrayContaining(['/email', '/contacts/*/email']));
    // What email-consumer may see: the email in clear, the name masked, the phone gone, the ssn encrypted.
    const seen = asReader.read(record);
    expect(seen.email).toBe(record.email);
    expect(seen.name).toMatch(/^.\*+$/u);
    expect(seen).not.toHaveProperty('phone');
    expect(String(seen.ssn)).toMatch(/^enc\d+:/);
    const audit = await lastAudit('field-plan.grant');
    expect(audit.resource.subject).toBe(`principal:${await principalId('email-consumer')}`);
    // Without `as` the steward reads with its own plan: everything in clear.
    const own = await steward.reader(PRODUCT, 'latest', { keyProvider });
    expect(own.read(record).ssn).toBe(record.ssn);
    const consumer = createCharterClient({ url, token: tokens.consumer! });
    await expect(consumer.reader(PRODUCT, 'latest', { as: 'email-consumer' })).rejects.toMatchObject({
      code: 'CHARTER_AUTH',
      details: { registryCode: 'FORBIDDEN' },
    });
  });

  it('exports a dataset only when every quasi-identifier group holds k records, audited either way', async () => {
    const passing = [...exportCohort(5, 0, '1980', '750', 30), ...exportCohort(6, 10, '1990', '691', 40)];
    const released = await t.gqlAs(tokens.exporter!, EXPORT, { p: EXPORTS, payloads: passing });
    expect(firstCode(released)).toBe('OK');
    const result = released.data!.exportPayloads;
    expect(result).toMatchObject({
      quasiIdentifiers: ['/age', '/birthDate', '/zip'],
      groups: 2,
      smallestGroup: 5,
      k: 5,
    });
    expect(result.records[0]).toEqual({ id: 'p-0', birthDate: '1980', zip: '750', age: 30 });
    const ok = await lastAudit('payload.export');
    expect([ok.outcome, ok.reason]).toEqual([
      'success',
      'purpose: quarterly study; 2 groups, smallest 5, k 5',
    ]);

    const small = [...exportCohort(5, 0, '1980', '750', 30), ...exportCohort(2, 10, '1990', '691', 40)];
    const refused = await t.gqlAs(tokens.exporter!, EXPORT, { p: EXPORTS, payloads: small });
    expect(firstCode(refused)).toBe('INVALID_INPUT');
    expect(refused.data).toBeNull();
    const detail = refused.errors![0]!.extensions.details![0]!;
    expect([detail.path, detail.code]).toEqual(['payloads', 'K_ANONYMITY_NOT_MET']);
    expect(refused.errors![0]!.message).toBe(
      'export refused: the smallest quasi-identifier group has 2 records; k is 5',
    );
    for (const value of ['1990', '691', 'p-10', '@example.org'])
      expect(JSON.stringify(refused.errors)).not.toContain(value);
    const denied = await lastAudit('payload.export');
    expect(denied.outcome).toBe('denied');
    expect(denied.reason).toBe(
      'K_ANONYMITY_NOT_MET: the smallest quasi-identifier group has 2 records; k is 5',
    );
    // The cohort's ZIP codes (691xx) as values, not three digits that a hash or an id holds by chance
    // (a bare '691' matched a random event hash in about one run in ten).
    expect(denied.row).not.toMatch(/(^|[^0-9a-f])691\d\d([^0-9a-f]|$)/);
    for (const value of ['@example.org', '"p-10"', '1990-0']) expect(denied.row).not.toContain(value);

    // The caller chooses a larger or smaller k (2..1000); k 1 would be no check at all.
    expect(firstCode(await t.gqlAs(tokens.exporter!, EXPORT, { p: EXPORTS, payloads: small, k: 2 }))).toBe(
      'OK',
    );
    expect(firstCode(await t.gqlAs(tokens.exporter!, EXPORT, { p: EXPORTS, payloads: passing, k: 6 }))).toBe(
      'INVALID_INPUT',
    );
    const k1 = await t.gqlAs(tokens.exporter!, EXPORT, { p: EXPORTS, payloads: passing, k: 1 });
    expect(k1.errors![0]!.extensions.details![0]!.path).toBe('k');
    // Groups are formed on released values: a ZIP code read in clear makes every group a singleton.
    const clearZip = await t.gqlAs(tokens.zipReader!, EXPORT, { p: EXPORTS, payloads: passing });
    expect(clearZip.errors![0]!.extensions.details![0]!.code).toBe('K_ANONYMITY_NOT_MET');
  });

  it('refuses a blank purpose and fails the whole request on an operator error, releasing nothing', async () => {
    expect(firstCode(await read(tokens.consumer!, records, '  '))).toBe('INVALID_INPUT');
    const before = await lastAudit('payload.read');
    const bad = [records[0], { ...records[1], name: { first: 'x' } }];
    const response = await read(tokens.consumer!, bad);
    expect(firstCode(response)).toBe('INVALID_INPUT');
    expect(response.data).toBeNull();
    expect(response.errors![0]!.extensions.details![0]!.path).toBe('payloads/1/name');
    expect(JSON.stringify(response.errors)).not.toContain(String(records[0]!.email));
    expect((await lastAudit('payload.read')).row).toBe(before.row);
  });

  it('logs no payload value, even at debug level, on reads, refusals and failures (P-17)', async () => {
    let text = '';
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString('utf8');
        done();
      },
    });
    const logged = await startTestApp({
      databaseUrl: t.databaseUrl,
      config: { masterKeys: keyConfig },
      logger: createLogger('debug', stream),
    });
    try {
      const call = (query: string, variables: Record<string, unknown>, token = tokens.consumer!) =>
        logged.gqlAs(token, query, variables);
      expect(firstCode(await call(READ, { p: PRODUCT, payloads: records, purpose: 'x' }))).toBe('OK');
      const bad = [{ ...records[0], name: { first: 'x' } }];
      expect(firstCode(await call(READ, { p: PRODUCT, payloads: bad, purpose: 'x' }))).toBe('INVALID_INPUT');
      const small = exportCohort(3, 50, '1971', '312', 50);
      expect(firstCode(await call(EXPORT, { p: EXPORTS, payloads: small }, tokens.exporter))).toBe(
        'INVALID_INPUT',
      );
      const forged = await call(
        REVEAL,
        { p: PRODUCT, f: '/ssn', values: ['enc1:AAAA'], j: 'x' },
        tokens.governance,
      );
      expect(firstCode(forged)).toBe('INVALID_INPUT');
      expect(text.length).toBeGreaterThan(0); // the capture works: request lines were written
      const values = [
        ...records.flatMap((record) => [
          record.email,
          record.name,
          record.phone,
          record.ssn,
          record.internalNote,
        ]),
        ...small.flatMap((record) => [record.email, record.zip, record.birthDate]),
      ].map(String);
      for (const value of values) expect([value, text.includes(value)]).toEqual([value, false]);
    } finally {
      await logged.close();
    }
  });

  it('without master keys a keyed policy fails closed: UNAVAILABLE, nothing released, nothing audited', async () => {
    const keyless = await startTestApp({ databaseUrl: t.databaseUrl });
    try {
      const before = await lastAudit('payload.read');
      const response = await keyless.gqlAs(tokens.consumer!, READ, {
        p: PRODUCT,
        payloads: records,
        purpose: 'x',
      });
      expect(firstCode(response)).toBe('UNAVAILABLE');
      expect(response.errors![0]!.extensions.details![0]!.code).toBe('KEY_UNAVAILABLE');
      expect(response.data).toBeNull();
      expect((await lastAudit('payload.read')).row).toBe(before.row);
    } finally {
      await keyless.close();
    }
  });

  it('reveals encrypted values to governance only, with a justification, always audited', async () => {
    const seen = (await read(tokens.consumer!)).data!.readPayloads.records as Record<string, any>[];
    const values = seen.map((record) => record.ssn);
    const reveal = (who: string, justification = 'fraud case 7') =>
      t.gqlAs(who, REVEAL, { p: PRODUCT, f: '/ssn', values, j: justification });
    const revealed = await reveal(tokens.governance!);
    expect(firstCode(revealed)).toBe('OK');
    expect(revealed.data!.revealValues).toEqual(records.map((record) => record.ssn));
    const audit = await lastAudit('value.reveal');
    expect(audit.reason).toBe('justification: fraud case 7');
    expect(audit.resource.fieldPaths).toEqual(['/ssn']);
    expect(audit.row).not.toContain(String(records[0]!.ssn));
    expect(firstCode(await reveal(tokens.governance!, ' '))).toBe('INVALID_INPUT');
    for (const who of ['consumer', 'emailConsumer', 'owner', 'admin', 'producer'])
      expect([who, firstCode(await reveal(tokens[who]!))]).toEqual([who, 'FORBIDDEN']);
    const tampered = values.map(
      (value: string) => `${value.slice(0, -2)}${value.endsWith('AA') ? 'AB' : 'AA'}`,
    );
    const failed = await t.gqlAs(tokens.governance!, REVEAL, {
      p: PRODUCT,
      f: '/ssn',
      values: tampered,
      j: 'x',
    });
    expect(firstCode(failed)).toBe('INVALID_INPUT');
    expect((await lastAudit('value.reveal')).outcome).toBe('error');
    const notReversible = await t.gqlAs(tokens.governance!, REVEAL, {
      p: PRODUCT,
      f: '/email',
      values,
      j: 'x',
    });
    expect(firstCode(notReversible)).toBe('INVALID_INPUT');
  });

  it('rotates the data key: new reads use the new version, old ciphertexts still open', async () => {
    const before = (await read(tokens.consumer!)).data!.readPayloads.records[0].ssn as string;
    const rotated = await t.gqlAs(
      tokens.governance!,
      `mutation($p: String!) { rotateDataKey(product: $p) }`,
      {
        p: PRODUCT,
      },
    );
    expect(rotated.data!.rotateDataKey).toBe(2);
    expect(await lastAudit('data-key.rotate')).toMatchObject({ outcome: 'success' }); // T-14
    expect(firstCode(await t.gqlAs(tokens.owner!, `mutation { rotateDataKey(product: "${PRODUCT}") }`))).toBe(
      'FORBIDDEN',
    );
    const after = (await read(tokens.consumer!)).data!.readPayloads.records[0].ssn as string;
    expect(after).not.toBe(before);
    const revealed = await t.gqlAs(tokens.governance!, REVEAL, {
      p: PRODUCT,
      f: '/ssn',
      values: [before, after],
      j: 'rotation check',
    });
    expect(revealed.data!.revealValues).toEqual([records[0]!.ssn, records[0]!.ssn]);
    const stored = await db.query<{ wrapped: string }>('SELECT wrapped FROM governance_data_keys');
    expect(stored.rows).toHaveLength(2);
  });

  it('shows the policy and classifications only to governance, owners and admins', async () => {
    for (const who of ['governance', 'owner', 'admin']) {
      const { document, text } = (await t.gqlAs(tokens[who]!, CONTRACT, { p: PRODUCT })).data!
        .contractVersion;
      expect([who, document.policy]).toEqual([who, governedPolicy]);
      expect(document.schema.properties.email['x-charter']).toEqual({ tags: ['pii:email'] });
      expect(text).toContain('pii:email');
    }
    for (const who of ['consumer', 'emailConsumer', 'producer', 'ci']) {
      const response = await t.gqlAs(tokens[who]!, CONTRACT, { p: PRODUCT });
      const { document, text } = response.data!.contractVersion;
      expect([who, document.policy]).toEqual([who, undefined]);
      expect(JSON.stringify(document)).not.toContain('x-charter');
      expect(document.schema.properties.email).toEqual({ type: 'string', maxLength: 120 });
      expect(text).not.toContain('pii:');
    }
  });
});
