/**
 * ECOSYSTEM.md (d) 6, 7 and 9: lookups and error codes, listing and deletes with both unmodified
 * clients, and the transport details raw HTTP clients rely on (vendor types, bare numbers, errors).
 */
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { SchemaRegistryClient } from '@confluentinc/schemaregistry/dist/schemaregistry-client';
import { createProduct } from '../support/registry';
import { startTestApp, TEST_ADMIN_KEY, type TestApp } from '../support/test-app';

const VND = 'application/vnd.schemaregistry.v1+json';
const ORDER = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  properties: { id: { type: 'string' } },
  additionalProperties: false,
};
const V2 = { ...ORDER, properties: { ...ORDER.properties, note: { type: 'string' } } };
const body = (schema: object): string =>
  JSON.stringify({ schemaType: 'JSON', schema: JSON.stringify(schema) });

let t: TestApp;
let base: string;
const domain = `ka${Date.now().toString(36)}`;
const basic = (key: string): string => `Basic ${Buffer.from(`ci:${key}`).toString('base64')}`;

async function http(
  method: string,
  path: string,
  options: { body?: string; type?: string; auth?: string | null } = {},
): Promise<{ status: number; type: string | null; json: any }> {
  const auth = options.auth === undefined ? basic(TEST_ADMIN_KEY) : options.auth;
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': options.type ?? VND, ...(auth !== null && { authorization: auth }) },
    ...(options.body !== undefined && { body: options.body }),
  });
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type'), json: JSON.parse(text) };
}

const confluent = (): SchemaRegistryClient =>
  new SchemaRegistryClient({
    baseURLs: [base],
    basicAuthCredentials: { credentialsSource: 'USER_INFO', userInfo: `admin:${TEST_ADMIN_KEY}` },
    maxRetries: 0,
  });
const kafkajs = (): SchemaRegistry =>
  new SchemaRegistry({
    host: base,
    auth: { username: 'admin', password: TEST_ADMIN_KEY },
    retry: { retries: 0 },
  });

async function rejection(promise: Promise<unknown>): Promise<{ status?: number; errorCode?: number }> {
  try {
    await promise;
  } catch (error) {
    return error as { status?: number; errorCode?: number };
  }
  throw new Error('expected a rejection');
}

beforeAll(async () => {
  t = await startTestApp({ config: { rateLimit: { perMinute: 10_000, burst: 1_000 } } });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `${await t.app.getUrl()}/confluent`;
  for (const product of ['lookups', 'listing', 'raw']) await createProduct(t, domain, product);
});

afterAll(() => t.close());

describe('6. lookups and error codes', () => {
  const subject = () => `${domain}.lookups-value`;

  it('finds a registered schema under its subject and answers 40403 for one never registered', async () => {
    const id = await confluent().register(subject(), { schemaType: 'JSON', schema: JSON.stringify(ORDER) });
    expect(await confluent().getId(subject(), { schemaType: 'JSON', schema: JSON.stringify(ORDER) })).toBe(
      id,
    );
    expect(
      await kafkajs().getRegistryIdBySchema(subject(), {
        type: 'JSON' as never,
        schema: JSON.stringify(ORDER),
      }),
    ).toBe(id);
    const unknown = await rejection(
      confluent().getId(subject(), { schemaType: 'JSON', schema: JSON.stringify(V2) }),
    );
    expect([unknown.status, unknown.errorCode]).toEqual([404, 40403]);
  });

  it('unknown id 40403, unknown subject 40401, unknown version 40402, malformed schema 42201', async () => {
    const id = await rejection(confluent().getBySubjectAndId(subject(), 999_999));
    expect([id.status, id.errorCode]).toEqual([404, 40403]);
    expect((await rejection(kafkajs().getSchema(999_999))).status).toBe(404);
    const nope = await rejection(confluent().getLatestSchemaMetadata(`${domain}.nope-value`));
    expect([nope.status, nope.errorCode]).toEqual([404, 40401]);
    expect((await rejection(kafkajs().getLatestSchemaId(`${domain}.nope-value`))).status).toBe(404);
    const version = await rejection(confluent().getSchemaMetadata(subject(), 42));
    expect([version.status, version.errorCode]).toEqual([404, 40402]);
    const malformed = await rejection(
      confluent().register(subject(), { schemaType: 'JSON', schema: '{"type": ' }),
    );
    expect([malformed.status, malformed.errorCode]).toEqual([422, 42201]);
  });
});

describe('7. listing and deletes', () => {
  const subject = () => `${domain}.listing-value`;

  it('lists subjects and versions, deletes a version and then the subject, with Confluent’s replies', async () => {
    const client = confluent();
    await client.register(subject(), { schemaType: 'JSON', schema: JSON.stringify(ORDER) });
    await client.register(subject(), { schemaType: 'JSON', schema: JSON.stringify(V2) });
    expect(await client.getAllSubjects()).toContain(subject());
    expect(await client.getAllVersions(subject())).toEqual([1, 2]);
    expect(await client.deleteSubjectVersion(subject(), 1)).toBe(1);
    expect(await confluent().deleteSubject(subject())).toEqual([2]);
    expect(await confluent().getAllSubjects()).not.toContain(subject());
    const again = await rejection(confluent().deleteSubject(subject()));
    expect([again.status, again.errorCode]).toEqual([404, 40404]);
    expect(await confluent().deleteSubject(subject(), true)).toEqual([1, 2]);
    const unknown = await rejection(confluent().deleteSubject(`${domain}.nope-value`));
    expect([unknown.status, unknown.errorCode]).toEqual([404, 40401]);
  });
});

describe('9. transport', () => {
  const subject = () => `${domain}.raw-value`;

  it('registers with each request type Confluent accepts, answering 200 in the vendor type', async () => {
    const first = await http('POST', `/subjects/${subject()}/versions`, { body: body(ORDER) });
    expect(first.status).toBe(200);
    expect(first.type).toMatch(/^application\/vnd\.schemaregistry\.v1\+json/);
    expect(first.json).toEqual({ id: expect.any(Number) });
    for (const type of [
      'application/json',
      'application/octet-stream',
      'application/vnd.schemaregistry+json',
    ])
      expect(
        (await http('POST', `/subjects/${subject()}/versions`, { body: body(ORDER), type })).json,
      ).toEqual(first.json);
  });

  it('serves schemaType JSON by id, bare arrays and numbers, and the probes', async () => {
    const { json } = await http('POST', `/subjects/${subject()}/versions`, { body: body(ORDER) });
    const byId = await http('GET', `/schemas/ids/${json.id as number}?subject=whatever`);
    expect(byId.json).toEqual({ schemaType: 'JSON', schema: JSON.stringify(ORDER) });
    expect((await http('GET', `/subjects/${subject()}/versions`)).json).toEqual([1]);
    expect((await http('GET', `/subjects/${subject()}/versions/1/schema`)).json).toEqual(ORDER);
    expect((await http('GET', '/schemas/types')).json).toEqual(['JSON']);
    expect((await http('GET', '/mode')).json).toEqual({ mode: 'READWRITE' });
    expect((await http('GET', `/config/${subject()}?defaultToGlobal=true`)).json).toEqual({
      compatibilityLevel: 'BACKWARD',
    });
  });

  it('GET /schemas/ids/{id} (served outside Nest) keeps the guard: 401 without credentials, 403 audited, 40403 when hidden', async () => {
    const { json } = await http('POST', `/subjects/${subject()}/versions`, { body: body(ORDER) });
    const path = `/schemas/ids/${json.id as number}`;
    const anonymous = await http('GET', path, { auth: null });
    expect([anonymous.status, anonymous.type, anonymous.json.error_code]).toEqual([
      401,
      `${VND}; charset=utf-8`,
      401,
    ]);
    const failedBefore = t.audit.ofType('authentication.failed').length;
    const badKey = await http('GET', path, { auth: basic(`chk_live_${'0'.repeat(16)}_${'y'.repeat(43)}`) });
    expect([badKey.status, badKey.json.error_code]).toEqual([401, 401]);
    expect(t.audit.ofType('authentication.failed').length).toBe(failedBefore + 1);
    const nobody = await t.principalWith('no-grants', []);
    const deniedBefore = t.audit.ofType('access.denied').length;
    const refused = await http('GET', path, { auth: basic(nobody) });
    expect([refused.status, refused.json.error_code]).toEqual([403, 40301]);
    expect(t.audit.ofType('access.denied').slice(deniedBefore)).toEqual([
      { type: 'access.denied', action: 'read', subject: 'Contract', answeredAs: 'FORBIDDEN' },
    ]);
    await t.gql(`mutation { createDomain(input: { name: "${domain}-elsewhere", owningTeam: "t" }) { id } }`);
    const stranger = await t.principalWith('stranger', [{ role: 'consumer', domain: `${domain}-elsewhere` }]);
    const beforeHidden = t.audit.ofType('access.denied').length;
    const hidden = await http('GET', path, { auth: basic(stranger) });
    expect([hidden.status, hidden.json.error_code]).toEqual([404, 40403]);
    // Answered as "not found" so existence does not leak, and still recorded as the refusal it is.
    expect(t.audit.ofType('access.denied').slice(beforeHidden)).toEqual([
      { type: 'access.denied', action: 'read', subject: 'Contract', answeredAs: 'NOT_FOUND' },
    ]);
    const served = await http('GET', path);
    expect([served.status, served.type]).toEqual([200, `${VND}; charset=utf-8`]);
    expect(served.json).toEqual({ schemaType: 'JSON', schema: JSON.stringify(ORDER) });
  });

  it('answers every refusal with error_code and message, never a 5xx', async () => {
    const cases: [string, string, { body?: string; auth?: string | null }, number, number][] = [
      ['POST', `/subjects/${subject()}/versions`, { body: JSON.stringify({ schema: '{}' }) }, 422, 42201],
      [
        'POST',
        `/subjects/${subject()}/versions`,
        { body: JSON.stringify({ schemaType: 'PROTOBUF', schema: 'x' }) },
        422,
        42201,
      ],
      ['POST', `/subjects/${subject()}/versions`, { body: '{"schemaType":' }, 400, 400],
      ['POST', '/subjects/Payments_Orders-value/versions', { body: body(ORDER) }, 422, 42208],
      ['POST', `/subjects/${domain}.raw-key/versions`, { body: body(ORDER) }, 422, 42208],
      ['GET', `/subjects/${subject()}/versions/zero`, {}, 422, 42202],
      ['PUT', `/config/${subject()}`, { body: JSON.stringify({ compatibility: 'SIDEWAYS' }) }, 422, 42203],
      ['GET', `/config/${subject()}`, {}, 404, 40408],
      ['GET', '/schemas/ids/abc', {}, 404, 40403],
      ['GET', `/subjects/${subject()}/versions`, { auth: null }, 401, 401],
      [
        'GET',
        `/subjects/${subject()}/versions`,
        { auth: basic(`chk_live_${'0'.repeat(16)}_${'x'.repeat(43)}`) },
        401,
        401,
      ],
    ];
    for (const [method, path, options, status, code] of cases) {
      const answer = await http(method, path, options);
      expect([method, path, answer.status, answer.json.error_code]).toEqual([method, path, status, code]);
      expect(typeof answer.json.message).toBe('string');
    }
  });

  it('a principal without rights is refused with 403, and a product it may not see is 40401; each refusal audited once', async () => {
    const deniedSince = (before: number) => t.audit.ofType('access.denied').slice(before);
    const outsider = await t.principalWith('outsider', []);
    const beforeRefused = t.audit.ofType('access.denied').length;
    const refused = await http('POST', `/subjects/${subject()}/versions`, {
      body: body(V2),
      auth: basic(outsider),
    });
    expect([refused.status, refused.json.error_code]).toEqual([403, 40301]);
    expect(deniedSince(beforeRefused)).toEqual([
      { type: 'access.denied', action: 'publish', subject: 'Contract', answeredAs: 'FORBIDDEN' },
    ]);
    await t.gql(`mutation { createDomain(input: { name: "${domain}-other", owningTeam: "t" }) { id } }`);
    const reader = await t.principalWith('reader', [{ role: 'consumer', domain: `${domain}-other` }]);
    const beforeHidden = t.audit.ofType('access.denied').length;
    const hidden = await http('GET', `/subjects/${subject()}/versions`, { auth: basic(reader) });
    expect([hidden.status, hidden.json.error_code]).toEqual([404, 40401]);
    const latest = await http('GET', `/subjects/${subject()}/versions/latest`, { auth: basic(reader) });
    expect([latest.status, latest.json.error_code]).toEqual([404, 40401]);
    expect(deniedSince(beforeHidden)).toEqual([
      { type: 'access.denied', action: 'read', subject: 'DataProduct', answeredAs: 'NOT_FOUND' },
      { type: 'access.denied', action: 'read', subject: 'DataProduct', answeredAs: 'NOT_FOUND' },
    ]);
    // Past the guard (producers may publish), refused by the service: the exception filter records it.
    const producer = await t.principalWith('producer', [{ role: 'producer', product: `${domain}.raw` }]);
    const beforeService = t.audit.ofType('access.denied').length;
    const level = await http('PUT', `/config/${domain}.raw-value`, {
      body: JSON.stringify({ compatibility: 'NONE' }),
      auth: basic(producer),
    });
    expect([level.status, level.json.error_code]).toEqual([403, 40301]);
    expect(deniedSince(beforeService)).toEqual([
      { type: 'access.denied', action: 'update', subject: 'DataProduct', answeredAs: 'FORBIDDEN' },
    ]);
  });
});
