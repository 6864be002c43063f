/**
 * GraphQL subscriptions to change events (issue 10): two instances on one database, a graphql-ws
 * client on instance A, changes made through instance B's API.
 */
import { type AddressInfo } from 'node:net';
import { type Client as WsClient, createClient } from 'graphql-ws';
import { Client } from 'pg';
import WebSocket from 'ws';
import { parseApiKey } from '../../src/auth/api-key';
import { CredentialsCache } from '../../src/auth/credentials-cache';
import { CHANGE_EVENT_TYPES, MAX_NOTIFY_PAYLOAD_BYTES } from '../../src/modules/change-events';
import { ChangeEventFeed } from '../../src/modules/live-events/change-event-feed';
import { MAX_SUBSCRIPTIONS_PER_CONNECTION } from '../../src/modules/live-events/live-events.service';
import { closedObject, contractText } from '../factories/contracts';
import { createProduct, publish } from '../support/registry';
import { TcpProxy } from '../support/tcp-proxy';
import { startTestApp, TEST_ADMIN_KEY, type TestApp } from '../support/test-app';

const SUBSCRIBE = `subscription($filter: ChangeEventFilterInput) {
  changeEvents(filter: $filter) { id specversion type source subject time domain product data }
}`;

interface ChangeEvent {
  id: string;
  type: string;
  source: string;
  subject: string;
  domain: string | null;
  product: string | null;
  data: Record<string, unknown>;
}

interface Subscriber {
  events: ChangeEvent[];
  errors: unknown[];
  completed: boolean;
  client: WsClient;
  /** Resolves with the close code of the socket. */
  closed: Promise<number>;
  dispose(): Promise<void>;
}

const UNLIMITED = { rateLimit: { perMinute: 100_000, burst: 100_000 } };

async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('GraphQL subscriptions to change events', () => {
  let a: TestApp;
  let b: TestApp;
  let url: string;
  let feedA: ChangeEventFeed;
  const open: Subscriber[] = [];

  /** A graphql-ws client on instance A; the key goes in connection_init unless `viaHeader`. */
  function connect(token: string | null, options: { viaHeader?: boolean } = {}): Subscriber {
    let onClosed: (code: number) => void = () => undefined;
    const closed = new Promise<number>((resolve) => {
      onClosed = resolve;
    });
    const headers = options.viaHeader && token !== null ? { authorization: `Bearer ${token}` } : undefined;
    class HeaderWebSocket extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { headers });
      }
    }
    const client = createClient({
      url,
      webSocketImpl: HeaderWebSocket,
      lazy: false,
      retryAttempts: 0,
      connectionParams: token === null || options.viaHeader ? {} : { authorization: `Bearer ${token}` },
      on: {
        closed: (event) => {
          onClosed((event as { code: number }).code);
        },
      },
      onNonLazyError: () => undefined,
    });
    const subscriber: Subscriber = {
      events: [],
      errors: [],
      completed: false,
      client,
      closed,
      dispose: async () => {
        await client.dispose();
      },
    };
    open.push(subscriber);
    return subscriber;
  }

  function subscribe(subscriber: Subscriber, filter: Record<string, unknown> | null = null): void {
    subscriber.client.subscribe<{ changeEvents: ChangeEvent }>(
      { query: SUBSCRIBE, variables: { filter } },
      {
        next: (value) => {
          if (value.errors) subscriber.errors.push(...value.errors);
          if (value.data) subscriber.events.push(value.data.changeEvents);
        },
        error: (error) => {
          subscriber.errors.push(error);
        },
        complete: () => {
          subscriber.completed = true;
        },
      },
    );
  }

  /** Subscribes and waits until instance A holds the subscription, so no event can race it. */
  async function subscribed(subscriber: Subscriber, filter: Record<string, unknown> | null = null) {
    const before = feedA.subscriberCount;
    subscribe(subscriber, filter);
    await waitFor('the subscription on instance A', () => feedA.subscriberCount > before);
  }

  beforeAll(async () => {
    // Instance A only serves sockets here; its short request deadline must not reach them.
    a = await startTestApp({ config: { ...UNLIMITED, requestTimeoutMs: 1_000 } });
    b = await startTestApp({ databaseUrl: a.databaseUrl, config: UNLIMITED });
    await a.app.listen(0, '127.0.0.1');
    const { port } = a.app.getHttpServer().address() as AddressInfo;
    url = `ws://127.0.0.1:${port}/graphql`;
    feedA = a.app.get(ChangeEventFeed);
    await waitFor('the change-event listener', () => feedA.listening);
    await createProduct(b, 'payments', 'orders');
    await createProduct(b, 'logistics', 'parcels');
  });

  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.dispose()));
    await waitFor('the subscriptions to end on instance A', () => feedA.subscriberCount === 0);
  });

  afterAll(async () => {
    await b.close();
    await a.close();
  });

  it("delivers a version published through instance B to instance A's subscriber", async () => {
    const reader = await b.principalWith('orders-reader', [{ role: 'consumer', product: 'payments.orders' }]);
    const viaPayload = connect(reader);
    const viaHeader = connect(reader, { viaHeader: true });
    await subscribed(viaPayload, { product: 'payments.orders' });
    await subscribed(viaHeader, { domain: 'payments', types: [CHANGE_EVENT_TYPES.versionPublished] });

    const published = await publish(b, 'payments.orders', contractText());
    expect(published.__typename).toBe('ContractVersionPublished');

    for (const subscriber of [viaPayload, viaHeader]) {
      await waitFor('the published event', () => subscriber.events.length > 0);
      expect(subscriber.errors).toEqual([]);
      expect(subscriber.events).toHaveLength(1);
      expect(subscriber.events[0]).toMatchObject({
        type: CHANGE_EVENT_TYPES.versionPublished,
        source: '/domains/payments/products/orders',
        subject: `versions/${published.contractVersion.version}`,
        domain: 'payments',
        product: 'orders',
        data: { version: published.contractVersion.version, contractId: published.contractVersion.id },
      });
    }
    expect(viaPayload.events.map((e) => e.id)).toEqual(viaHeader.events.map((e) => e.id));
  });

  it('sends a product only to subscribers who may read it', async () => {
    const ordersReader = await b.principalWith('orders-only', [
      { role: 'consumer', product: 'payments.orders' },
    ]);
    const parcelsReader = await b.principalWith('parcels-only', [
      { role: 'consumer', product: 'logistics.parcels' },
    ]);
    const permitted = connect(ordersReader);
    const other = connect(parcelsReader);
    await subscribed(permitted);
    await subscribed(other);

    const orders = await publish(b, 'payments.orders', contractText({ metadata: { owner: 'team-two' } }));
    expect(orders.__typename).toBe('ContractVersionPublished');
    // Events reach a subscriber in order: once the later parcels event arrived, the orders one was withheld.
    const parcels = await publish(b, 'logistics.parcels', contractText());
    expect(parcels.__typename).toBe('ContractVersionPublished');

    await waitFor('the permitted orders event', () => permitted.events.length > 0);
    await waitFor('the parcels event', () => other.events.length > 0);
    expect(other.events.map((e) => e.product)).toEqual(['parcels']);
    expect(permitted.events.map((e) => `${e.domain}.${e.product}`)).toEqual(['payments.orders']);
    expect(permitted.events[0]?.data.version).toBe(orders.contractVersion.version);
  });

  it('refuses connections without valid credentials', async () => {
    const anonymous = connect(null);
    const wrongKey = connect(`chk_live_0000000000admin0_${'B'.repeat(43)}`);
    expect(await anonymous.closed).toBe(4403);
    expect(await wrongKey.closed).toBe(4403);

    // A bad Authorization header on the upgrade request is refused before any WebSocket exists.
    const status = await new Promise<number>((resolve, reject) => {
      const socket = new WebSocket(url, 'graphql-transport-ws', {
        headers: { authorization: 'Bearer chk_live_nope' },
      });
      socket.on('unexpected-response', (_request, response) => {
        resolve(response.statusCode ?? 0);
        socket.terminate();
      });
      socket.on('open', () => {
        reject(new Error('upgrade accepted'));
      });
      socket.on('error', () => undefined);
    });
    expect(status).toBe(401);
  });

  it('authenticates a connection_init sent after the request deadline of its upgrade', async () => {
    // A key instance A has never seen, so authenticating it must query the database.
    const key = await b.principalWith('late-starter', [{ role: 'consumer', product: 'payments.orders' }]);
    const events: ChangeEvent[] = [];
    let closedWith: number | null = null;
    const client = createClient({
      url,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: async () => {
        await new Promise((resolve) => setTimeout(resolve, 1_300));
        return { authorization: `Bearer ${key}` };
      },
      on: {
        closed: (event) => {
          closedWith = (event as { code: number }).code;
        },
      },
    });
    try {
      client.subscribe<{ changeEvents: ChangeEvent }>(
        { query: SUBSCRIBE },
        {
          next: (value) => {
            if (value.data) events.push(value.data.changeEvents);
          },
          error: () => undefined,
          complete: () => undefined,
        },
      );
      await waitFor('the late subscription', () => feedA.subscriberCount === 1 || closedWith !== null);
      expect(closedWith).toBeNull();
      const published = await publish(
        b,
        'payments.orders',
        contractText({ metadata: { owner: 'team-late' } }),
      );
      await waitFor('the event', () => events.length > 0);
      expect(events.map((e) => e.data.version)).toEqual([published.contractVersion.version]);
    } finally {
      await client.dispose();
    }
  });

  it('answers an invalid filter or an over-limit document with INVALID_INPUT', async () => {
    const admin = connect(TEST_ADMIN_KEY);
    subscribe(admin, { types: ['dev.charter.nothing'] });
    const aliases = Array.from({ length: 20 }, (_, i) => `a${i}: id`).join(' ');
    const tooWide = await new Promise<unknown[]>((resolve) => {
      admin.client.subscribe(
        { query: `subscription { changeEvents { ${aliases} } }` },
        {
          next: () => undefined,
          error: (e) => {
            resolve(e as unknown[]);
          },
          complete: () => {
            resolve([]);
          },
        },
      );
    });
    await waitFor('the filter error', () => admin.errors.length > 0);
    expect(admin.errors[0]).toMatchObject([
      {
        extensions: {
          code: 'INVALID_INPUT',
          details: [{ path: 'filter.types.0', code: 'UNKNOWN_TYPE' }],
        },
      },
    ]);
    expect(tooWide).toMatchObject([
      { extensions: { code: 'INVALID_INPUT', details: [{ code: 'MAX_ALIASES' }] } },
    ]);
    expect(feedA.subscriberCount).toBe(0);
  });

  it('gives every refusal on the socket a public code, and caps subscriptions per connection', async () => {
    const admin = connect(TEST_ADMIN_KEY);
    const refusal = (query: string, operationName?: string) =>
      new Promise<unknown>((resolve) => {
        admin.client.subscribe(
          { query, ...(operationName !== undefined && { operationName }) },
          {
            next: () => undefined,
            error: (e) => {
              resolve(e);
            },
            complete: () => {
              resolve('completed');
            },
          },
        );
      });
    expect(await refusal('subscription { changeEvents { id ')).toMatchObject([
      { message: expect.stringMatching(/^Syntax Error/), extensions: { code: 'INVALID_INPUT' } },
    ]);
    expect(await refusal('{ __typename }')).toMatchObject([
      { message: expect.stringMatching(/^only subscriptions/), extensions: { code: 'INVALID_INPUT' } },
    ]);
    // No operation to pick: graphql-js' own refusal, not an internal error.
    const twoAnonymous = 'subscription { changeEvents { id } } subscription { changeEvents { type } }';
    expect(await refusal(twoAnonymous)).toMatchObject([{ extensions: { code: 'INVALID_INPUT' } }]);
    expect(await refusal('fragment F on Query { __typename }')).toMatchObject([
      { extensions: { code: 'INVALID_INPUT' } },
    ]);
    expect(await refusal('subscription Events { changeEvents { id } }', 'Nope')).toMatchObject([
      { message: 'no operation named "Nope" in the document', extensions: { code: 'INVALID_INPUT' } },
    ]);

    for (let i = 0; i < MAX_SUBSCRIPTIONS_PER_CONNECTION; i += 1) subscribe(admin);
    await waitFor(
      'the allowed subscriptions',
      () => feedA.subscriberCount === MAX_SUBSCRIPTIONS_PER_CONNECTION,
    );
    expect(await refusal(SUBSCRIBE)).toMatchObject([{ extensions: { code: 'RATE_LIMITED' } }]);
    // Another connection of the same principal is counted on its own.
    const second = connect(TEST_ADMIN_KEY);
    await subscribed(second);
    expect(admin.errors).toEqual([]);
  });

  it('keeps delivering after the listener connection is killed', async () => {
    const subscriber = connect(TEST_ADMIN_KEY);
    await subscribed(subscriber, { product: 'payments.orders' });
    const killer = new Client({ connectionString: a.databaseUrl });
    await killer.connect();
    try {
      const { rows } = await killer.query<{ killed: boolean }>(
        `SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
          WHERE application_name = 'charter-listener' AND datname = current_database()`,
      );
      expect(rows.length).toBeGreaterThan(0);
    } finally {
      await killer.end();
    }
    await waitFor('the listener to drop', () => !feedA.listening, 5_000);
    await waitFor('the listener to reconnect', () => feedA.listening);

    const published = await publish(
      b,
      'payments.orders',
      contractText({ metadata: { owner: 'team-three' } }),
    );
    expect(published.__typename).toBe('ContractVersionPublished');
    await waitFor('the event after the reconnect', () => subscriber.events.length > 0);
    expect(subscriber.events.map((e) => e.data.version)).toEqual([published.contractVersion.version]);
    expect(subscriber.errors).toEqual([]);
  });

  it('reads an event too large for NOTIFY from the outbox', async () => {
    await createProduct(b, 'payments', 'wide');
    const v1 = await publish(b, 'payments.wide', contractText());
    expect(v1.__typename).toBe('ContractVersionPublished');
    const subscriber = connect(TEST_ADMIN_KEY);
    await subscribed(subscriber, { product: 'payments.wide' });
    // 60 new optional fields with long names: the change summary alone is over the NOTIFY cap.
    const fields = Object.fromEntries(
      Array.from({ length: 60 }, (_, i) => [
        `an_optional_field_with_a_rather_long_name_${i}`,
        { type: 'string' },
      ]),
    );
    const v2 = await publish(
      b,
      'payments.wide',
      contractText({ schema: closedObject({ id: { type: 'string', maxLength: 64 }, ...fields }, ['id']) }),
    );
    expect(v2.__typename).toBe('ContractVersionPublished');
    // v1's own event may still arrive: its notification can land after the subscription opened.
    const ofV2 = () => subscriber.events.find((e) => e.data.version === v2.contractVersion.version);
    await waitFor('the large event', () => ofV2() !== undefined);
    const event = ofV2();
    expect(event?.data.changeCount).toBeGreaterThanOrEqual(60);
    const envelope = { specversion: '1.0', datacontenttype: 'application/json', ...event };
    expect(Buffer.byteLength(JSON.stringify(envelope))).toBeGreaterThan(MAX_NOTIFY_PAYLOAD_BYTES);
    expect(subscriber.errors).toEqual([]);
  });

  it('replays events committed while its instance was cut off from the database, once each', async () => {
    const target = new URL(a.databaseUrl);
    const proxy = new TcpProxy(target.hostname, Number(target.port));
    await proxy.start();
    const c = await startTestApp({ databaseUrl: proxy.route(a.databaseUrl), config: UNLIMITED });
    try {
      await c.app.listen(0, '127.0.0.1');
      const { port } = c.app.getHttpServer().address() as AddressInfo;
      const feedC = c.app.get(ChangeEventFeed);
      await waitFor('the third instance to listen', () => feedC.listening);
      const events: ChangeEvent[] = [];
      const client = createClient({
        url: `ws://127.0.0.1:${port}/graphql`,
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        connectionParams: { authorization: `Bearer ${TEST_ADMIN_KEY}` },
      });
      client.subscribe<{ changeEvents: ChangeEvent }>(
        { query: SUBSCRIBE, variables: { filter: { product: 'payments.orders' } } },
        {
          next: (value) => {
            if (value.data) events.push(value.data.changeEvents);
          },
          error: () => undefined,
          complete: () => undefined,
        },
      );
      await waitFor('the subscription on the third instance', () => feedC.subscriberCount === 1);

      await proxy.stop();
      await waitFor('the third instance to lose its listener', () => !feedC.listening);
      const missed = await publish(
        b,
        'payments.orders',
        contractText({ metadata: { owner: 'team-missed' } }),
      );
      expect(missed.__typename).toBe('ContractVersionPublished');
      await proxy.start();
      await waitFor('the replayed event', () => events.length > 0, 15_000);
      const live = await publish(b, 'payments.orders', contractText({ metadata: { owner: 'team-live' } }));
      await waitFor('the next live event', () => events.length > 1);
      expect(events.map((e) => e.data.version)).toEqual([
        missed.contractVersion.version,
        live.contractVersion.version,
      ]);
      await client.dispose();
    } finally {
      await c.close();
      await proxy.stop();
    }
  });

  it('ends a subscription whose API key is revoked, with UNAUTHENTICATED', async () => {
    const key = await b.principalWith('soon-revoked', [{ role: 'consumer', domain: 'payments' }]);
    const subscriber = connect(key);
    await subscribed(subscriber, { domain: 'payments' });
    const credentials = a.app.get(CredentialsCache);
    const generation = credentials.generation;
    const revoked = await b.gql(`mutation($k: String!) { revokeApiKey(keyId: $k) { revokedAt } }`, {
      k: parseApiKey(key)?.keyId,
    });
    expect(revoked.errors).toBeUndefined();
    await waitFor('instance A to hear of the revocation', () => credentials.generation !== generation);
    await publish(b, 'payments.orders', contractText({ metadata: { owner: 'team-four' } }));
    await waitFor('the subscription to end', () => subscriber.errors.length > 0);
    expect(subscriber.events).toEqual([]);
    expect(subscriber.errors[0]).toMatchObject([{ extensions: { code: 'UNAUTHENTICATED' } }]);
    await waitFor('the subscription to be released', () => feedA.subscriberCount === 0);
  });

  it('closes open subscription sockets when the app shuts down', async () => {
    const c = await startTestApp({ databaseUrl: a.databaseUrl, config: UNLIMITED });
    await c.app.listen(0, '127.0.0.1');
    const { port } = c.app.getHttpServer().address() as AddressInfo;
    const feedC = c.app.get(ChangeEventFeed);
    const client = createClient({
      url: `ws://127.0.0.1:${port}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${TEST_ADMIN_KEY}` },
    });
    let completed = false;
    client.subscribe(
      { query: SUBSCRIBE },
      { next: () => undefined, error: () => undefined, complete: () => (completed = true) },
    );
    await waitFor('the subscription on the third instance', () => feedC.subscriberCount === 1);
    await c.close();
    await waitFor('the client to see the end', () => completed);
    expect(feedC.subscriberCount).toBe(0);
    expect(feedC.listening).toBe(false);
    await client.dispose();
  });
});
