/**
 * Unmodified Kafka schema-registry clients against the real service (ECOSYSTEM.md (d) 1-5, 8):
 * @kafkajs/confluent-schema-registry 4.1.0 and @confluentinc/schemaregistry 1.10.1 register,
 * serialize and deserialize JSON payloads over HTTP on a random loopback port, authenticated with
 * HTTP Basic whose password is a Charter API key.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { RestError } from '@confluentinc/schemaregistry/dist/rest-error';
import { CelExecutor } from '@confluentinc/schemaregistry/dist/rules/cel/cel-executor';
import { SchemaRegistryClient } from '@confluentinc/schemaregistry/dist/schemaregistry-client';
import { JsonDeserializer, JsonSerializer } from '@confluentinc/schemaregistry/dist/serde/json';
import { RuleRegistry } from '@confluentinc/schemaregistry/dist/serde/rule-registry';
import { SerdeType, SerializationError } from '@confluentinc/schemaregistry/dist/serde/serde';
import { createProduct, publish } from '../support/registry';
import { startTestApp, type TestApp } from '../support/test-app';

const ORDER = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Order',
  type: 'object',
  properties: { id: { type: 'string' }, amount: { type: 'number' } },
  required: ['id'],
  additionalProperties: false,
};
const withNote = { ...ORDER, properties: { ...ORDER.properties, note: { type: 'string' } } };
const amountAsText = { ...ORDER, properties: { ...ORDER.properties, amount: { type: 'string' } } };

/** Forwards to the service and remembers `METHOD path` of every request, in order. */
async function recordingProxy(target: string): Promise<{ url: string; seen: string[]; server: Server }> {
  const seen: string[] = [];
  const to = new URL(target);
  const server = createServer((req, res) => {
    seen.push(`${req.method ?? ''} ${(req.url ?? '').split('?')[0] ?? ''}`);
    const upstream = httpRequest(
      { host: to.hostname, port: to.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

let t: TestApp;
let proxy: Awaited<ReturnType<typeof recordingProxy>>;
let base: string;
let key: string;
const domain = `kc${Date.now().toString(36)}`;

let ownerKey: string;
const kafkajs = (password = key): SchemaRegistry =>
  new SchemaRegistry({ host: base, auth: { username: 'kafka', password }, retry: { retries: 0 } });
const confluent = (): SchemaRegistryClient =>
  new SchemaRegistryClient({
    baseURLs: [base],
    basicAuthCredentials: { credentialsSource: 'USER_INFO', userInfo: `producer:${key}` },
    maxRetries: 0,
  });
const registerJson = (client: SchemaRegistryClient, subject: string, schema: object): Promise<number> =>
  client.register(subject, { schemaType: 'JSON', schema: JSON.stringify(schema) });

async function rejection(
  promise: Promise<unknown>,
): Promise<{ status?: number; errorCode?: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { status?: number; errorCode?: number; message: string };
  }
  throw new Error('expected a rejection');
}

beforeAll(async () => {
  t = await startTestApp({ config: { rateLimit: { perMinute: 10_000, burst: 1_000 } } });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  for (const product of [
    'orders',
    'orders-copy',
    'orders-mirror',
    'payments',
    'checks',
    'levels',
    'customers',
  ])
    await createProduct(t, domain, product);
  // Producers of the domain publish; only owners and admins change settings.
  key = await t.principalWith('kafka-producer', [{ role: 'producer', domain }]);
  ownerKey = await t.principalWith('orders-owner', [{ role: 'owner', product: `${domain}.orders` }]);
  proxy = await recordingProxy(await t.app.getUrl());
  base = `${proxy.url}/confluent`;
});

afterAll(async () => {
  await new Promise((resolve) => proxy.server.close(resolve));
  await t.close();
});

describe('1. kafkajs producer and consumer', () => {
  const subject = () => `${domain}.orders-value`;
  const config = () => `GET /confluent/config/${subject()}`;
  const post = () => `POST /confluent/subjects/${subject()}/versions`;

  it('registers, encodes with the id in the wire format, decodes in a fresh instance, and validates', async () => {
    proxy.seen.length = 0;
    const schema = { type: SchemaType.JSON as const, schema: JSON.stringify(ORDER) };
    const { id } = await kafkajs(ownerKey).register(schema, { subject: subject() });
    expect(id).toBeGreaterThan(0);
    expect(proxy.seen).toEqual([config(), post(), `PUT /confluent/config/${subject()}`]);

    const producer = kafkajs();
    const bytes = await producer.encode(id, { id: 'o-1', amount: 12.5 });
    expect(bytes[0]).toBe(0);
    expect(bytes.readInt32BE(1)).toBe(id);
    expect(await kafkajs().decode(bytes)).toEqual({ id: 'o-1', amount: 12.5 });
    await expect(producer.encode(id, { amount: 'twelve' })).rejects.toThrow(/invalid payload/i);
  });

  it('a second registration reads the level and posts, without writing the level again', async () => {
    proxy.seen.length = 0;
    const schema = { type: SchemaType.JSON as const, schema: JSON.stringify(withNote) };
    const { id } = await kafkajs(ownerKey).register(schema, { subject: subject() });
    expect(proxy.seen).toEqual([config(), post()]);
    expect(await kafkajs().getLatestSchemaId(subject())).toBe(id);
  });

  it('a producer registers too: its PUT restates the governed level and changes nothing', async () => {
    const fresh = `${domain}.orders-copy-value`;
    proxy.seen.length = 0;
    await kafkajs().register({ type: SchemaType.JSON, schema: JSON.stringify(withNote) }, { subject: fresh });
    expect(proxy.seen.map((line) => line.split(' ')[0])).toEqual(['GET', 'POST', 'PUT']);
    const level = await rejection(confluent().getCompatibility(fresh));
    expect([level.status, level.errorCode]).toEqual([404, 40408]);
  });
});

describe('2. Confluent producer and consumer', () => {
  const topic = () => `${domain}.payments`;

  it('register is idempotent, and identical content keeps its global id under another subject', async () => {
    const client = confluent();
    const id = await registerJson(client, `${topic()}-value`, ORDER);
    expect(await registerJson(confluent(), `${topic()}-value`, ORDER)).toBe(id);
    expect(await registerJson(confluent(), `${domain}.orders-mirror-value`, ORDER)).toBe(id);
  });

  it('serializes with the latest version, deserializes with a fresh client, refuses an invalid payload', async () => {
    proxy.seen.length = 0;
    const serializer = new JsonSerializer(confluent(), SerdeType.VALUE, {
      useLatestVersion: true,
      validate: true,
    });
    const bytes = await serializer.serialize(topic(), { id: 'p-1', amount: 3 });
    // The associations probe answers [] and the serializer falls back to <topic>-value.
    expect(proxy.seen).toContain(`GET /confluent/associations/resources/-/${topic()}`);
    expect(proxy.seen).toContain(`GET /confluent/subjects/${topic()}-value/versions/latest`);
    const deserializer = new JsonDeserializer(confluent(), SerdeType.VALUE, { validate: true });
    expect(await deserializer.deserialize(topic(), bytes)).toEqual({ id: 'p-1', amount: 3 });
    await expect(serializer.serialize(topic(), { id: 7 })).rejects.toBeInstanceOf(SerializationError);
  });
});

describe('3. bytes cross between the clients', () => {
  it('kafkajs decodes Confluent bytes and Confluent decodes kafkajs bytes', async () => {
    const topic = `${domain}.payments`;
    const serializer = new JsonSerializer(confluent(), SerdeType.VALUE, {
      useLatestVersion: true,
      validate: true,
    });
    const fromConfluent = await serializer.serialize(topic, { id: 'x-1', amount: 1 });
    expect(await kafkajs().decode(fromConfluent)).toEqual({ id: 'x-1', amount: 1 });

    const id = await kafkajs().getLatestSchemaId(`${topic}-value`);
    const fromKafkajs = await kafkajs().encode(id, { id: 'x-2' });
    const deserializer = new JsonDeserializer(confluent(), SerdeType.VALUE, { validate: true });
    expect(await deserializer.deserialize(topic, fromKafkajs)).toEqual({ id: 'x-2' });
  });
});

describe('4. compatibility is Charter’s engine', () => {
  const subject = () => `${domain}.checks-value`;

  it('refuses an incompatible version with 409 and the change list, in both clients', async () => {
    await registerJson(confluent(), subject(), ORDER);
    const fromConfluent = await rejection(registerJson(confluent(), subject(), amountAsText));
    expect(fromConfluent).toBeInstanceOf(RestError);
    expect(fromConfluent.status).toBe(409);
    expect(fromConfluent.errorCode).toBe(409);
    expect(fromConfluent.message).toMatch(/incompatible with an earlier schema.*details: \[.*\/amount/);
    const fromKafkajs = await rejection(
      kafkajs().register(
        { type: SchemaType.JSON, schema: JSON.stringify(amountAsText) },
        { subject: subject() },
      ),
    );
    expect(fromKafkajs.status).toBe(409);
  });

  it('tests compatibility, registers a compatible v2, and a fresh client sees version 2 as latest', async () => {
    const client = confluent();
    const asInfo = (schema: object) => ({ schemaType: 'JSON', schema: JSON.stringify(schema) });
    expect(await client.testSubjectCompatibility(subject(), asInfo(amountAsText))).toBe(false);
    expect(await client.testSubjectCompatibility(subject(), asInfo(withNote))).toBe(true);
    const id = await registerJson(client, subject(), withNote);
    const latest = await confluent().getLatestSchemaMetadata(subject());
    expect(latest).toMatchObject({ id, version: 2, schemaType: 'JSON', subject: subject() });
  });
});

describe('5. compatibility levels', () => {
  const subject = () => `${domain}.levels-value`;

  it('answers 40408 without a subject level, then sets and reads FULL as an owner; refuses SIDEWAYS', async () => {
    await registerJson(confluent(), subject(), ORDER);
    const missing = await rejection(confluent().getCompatibility(subject()));
    expect([missing.status, missing.errorCode]).toEqual([404, 40408]);

    const owner = await t.principalWith('levels-owner', [{ role: 'owner', product: `${domain}.levels` }]);
    const asOwner = new SchemaRegistryClient({
      baseURLs: [base],
      basicAuthCredentials: { credentialsSource: 'USER_INFO', userInfo: `owner:${owner}` },
      maxRetries: 0,
    });
    await asOwner.updateCompatibility(subject(), 'FULL' as never);
    expect(await confluent().getCompatibility(subject())).toBe('FULL');
    const invalid = await rejection(asOwner.updateCompatibility(subject(), 'SIDEWAYS' as never));
    expect([invalid.status, invalid.errorCode]).toEqual([422, 42203]);
    // A producer may not change the level; restating it is answered, changing it is refused.
    await expect(confluent().updateCompatibility(subject(), 'FULL' as never)).resolves.toBe('FULL');
    const refused = await rejection(confluent().updateCompatibility(subject(), 'NONE' as never));
    expect(refused.status).toBe(403);
  });

  it('kafkajs refuses to register with a level other than the subject’s', async () => {
    const registering = kafkajs().register(
      { type: SchemaType.JSON, schema: JSON.stringify(withNote) },
      { subject: subject(), compatibility: COMPATIBILITY.BACKWARD },
    );
    await expect(registering).rejects.toThrow(/compatibility/i);
  });
});

describe('8. governance reaches the Confluent client', () => {
  const product = () => `${domain}.customers`;
  const contract = {
    apiVersion: 'charter/v1',
    kind: 'DataContract',
    metadata: { owner: 'team-crm' },
    schema: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: {
        email: { type: 'string', 'x-charter': { classification: 'restricted', tags: ['pii:email'] } },
        amount: { type: 'number' },
      },
      required: ['email'],
    },
    quality: [{ name: 'positive-amount', kind: 'range', path: '/amount', min: 0, exclusiveMin: true }],
  };

  it('serves PII tags as metadata.tags and a clean schema kafkajs compiles', async () => {
    await publish(t, product(), JSON.stringify(contract));
    const latest = await confluent().getLatestSchemaMetadata(`${product()}-value`);
    expect(latest.metadata?.tags).toEqual({ '$.email': ['PII', 'pii:email'] });
    expect(latest.metadata?.properties).toEqual({ owner: 'team-crm' });
    expect(latest.schema).not.toContain('x-charter');
    const bytes = await kafkajs().encode(latest.id ?? 0, { email: 'a@example.com', amount: 2 });
    expect(await kafkajs().decode(bytes)).toEqual({ email: 'a@example.com', amount: 2 });
  });

  it('the Confluent serializer enforces a contract quality rule served as a CEL domain rule', async () => {
    const rules = new RuleRegistry();
    rules.registerExecutor(new CelExecutor());
    const serializer = new JsonSerializer(
      confluent(),
      SerdeType.VALUE,
      { useLatestVersion: true, validate: true },
      rules,
    );
    const latest = await confluent().getLatestSchemaMetadata(`${product()}-value`);
    expect(latest.ruleSet?.domainRules).toEqual([
      expect.objectContaining({ name: 'positive-amount', type: 'CEL', kind: 'CONDITION', mode: 'WRITE' }),
    ]);
    const topic = product();
    await expect(serializer.serialize(topic, { email: 'b@example.com', amount: 5 })).resolves.toBeInstanceOf(
      Buffer,
    );
    await expect(serializer.serialize(topic, { email: 'b@example.com', amount: -5 })).rejects.toThrow(
      /positive-amount/,
    );
    // Charter's own rule semantics: a record without the amount is not checked by a range rule.
    await expect(serializer.serialize(topic, { email: 'c@example.com' })).resolves.toBeInstanceOf(Buffer);
  });

  it('a schema Charter’s governance refuses never gets an id', async () => {
    const remote = { type: 'object', properties: { a: { $ref: 'https://example.com/a.json' } } };
    const refused = await rejection(registerJson(confluent(), `${domain}.customers-value`, remote));
    expect([refused.status, refused.errorCode]).toEqual([422, 42201]);
    expect(await confluent().getAllVersions(`${product()}-value`)).toEqual([1]);
  });
});
