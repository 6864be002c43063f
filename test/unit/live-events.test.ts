import { randomUUID } from 'node:crypto';
import { buildAbility } from '../../src/auth/ability';
import { type Actor } from '../../src/auth/actor';
import { DomainError } from '../../src/common/errors/error-codes';
import { CHANGE_EVENT_TYPES, type CloudEvent } from '../../src/modules/change-events';
import { matchesFilter, mayReceive } from '../../src/modules/live-events/change-event-filter';
import { parseChangeEventFilter } from '../../src/modules/live-events/change-event-filter.input';
import {
  type LiveChangeEvent,
  parseChangeNotification,
} from '../../src/modules/live-events/live-change-event';
import {
  LiveSubscription,
  MAX_PENDING_EVENTS,
  type SubscriberAccess,
} from '../../src/modules/live-events/live-subscription';

const DOMAIN_ID = randomUUID();
const PRODUCT_ID = randomUUID();
const OTHER_PRODUCT_ID = randomUUID();

function envelope(overrides: Partial<CloudEvent> = {}, data: Record<string, unknown> = {}): CloudEvent {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: '/domains/payments/products/orders',
    type: CHANGE_EVENT_TYPES.versionPublished,
    subject: 'versions/1',
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data: { productId: PRODUCT_ID, domainId: DOMAIN_ID, version: 1, ...data },
    domain: 'payments',
    product: 'orders',
    ...overrides,
  };
}

const live = (event: CloudEvent, productId: string | null = PRODUCT_ID): LiveChangeEvent => ({
  event,
  domainId: DOMAIN_ID,
  productId,
});

function actorWith(bindings: Actor['bindings']): Actor {
  return {
    principalId: 'p',
    name: 'p',
    kind: 'service',
    bindings,
    ability: buildAbility({ id: 'p', bindings }),
    credential: { kind: 'api-key', keyId: 'k' },
  };
}

const ordersConsumer = actorWith([
  { role: 'consumer', domainId: DOMAIN_ID, productId: PRODUCT_ID, clearFields: [] },
]);
const NO_FILTER = { domain: null, product: null, types: null };

describe('change notifications', () => {
  it('takes the ids of a whole event from its data', () => {
    const event = envelope();
    expect(parseChangeNotification(JSON.stringify(event))).toEqual({
      kind: 'event',
      event: { event, domainId: DOMAIN_ID, productId: PRODUCT_ID },
    });
  });

  it('reads truncated events, and events without ids, from the outbox', () => {
    const id = randomUUID();
    expect(parseChangeNotification(JSON.stringify({ id, truncated: true }))).toEqual({ kind: 'stored', id });
    const withoutIds = envelope({}, { productId: undefined });
    expect(parseChangeNotification(JSON.stringify(withoutIds))).toEqual({
      kind: 'stored',
      id: withoutIds.id,
    });
  });

  it('gives global events no ids and ignores what is not an event', () => {
    const global = envelope(
      { domain: undefined, product: undefined, source: '/' },
      { productId: null, domainId: null },
    );
    expect(parseChangeNotification(JSON.stringify(global))).toMatchObject({
      kind: 'event',
      event: { domainId: null, productId: null },
    });
    for (const payload of ['', 'not json', '[]', '{"id":"x"}', JSON.stringify({ ...envelope(), data: 3 })])
      expect(parseChangeNotification(payload)).toEqual({ kind: 'unreadable' });
  });
});

describe('subscription filters', () => {
  it('matches domain, product (qualified or not) and types', () => {
    const event = envelope();
    const filter = (f: Record<string, unknown>) => parseChangeEventFilter(f);
    expect(matchesFilter(filter({}), event)).toBe(true);
    expect(matchesFilter(filter({ domain: 'payments' }), event)).toBe(true);
    expect(matchesFilter(filter({ domain: 'logistics' }), event)).toBe(false);
    expect(matchesFilter(filter({ product: 'payments.orders' }), event)).toBe(true);
    expect(matchesFilter(filter({ product: 'orders' }), event)).toBe(true);
    expect(matchesFilter(filter({ product: 'logistics.orders' }), event)).toBe(false);
    expect(matchesFilter(filter({ types: [CHANGE_EVENT_TYPES.versionDeprecated] }), event)).toBe(false);
    expect(matchesFilter(filter({ product: 'orders' }), envelope({ product: undefined }))).toBe(false);
  });

  it('refuses bad names, unknown types and a product outside the domain with INVALID_INPUT', () => {
    const codes = (input: Record<string, unknown>) => {
      try {
        parseChangeEventFilter(input);
        return [];
      } catch (error) {
        expect(error).toBeInstanceOf(DomainError);
        expect((error as DomainError).code).toBe('INVALID_INPUT');
        return (error as DomainError).details.map((d) => `${d.path ?? ''}:${d.code ?? ''}`);
      }
    };
    expect(codes({ domain: 'Payments!' })).toEqual(['filter.domain:INVALID_NAME']);
    expect(codes({ product: 'a.b.c' })).toEqual(['filter.product:INVALID_NAME']);
    expect(codes({ domain: 'payments', product: 'logistics.parcels' })).toEqual(['filter.product:CONFLICT']);
    expect(codes({ types: ['dev.charter.nope'] })).toEqual(['filter.types.0:UNKNOWN_TYPE']);
    expect(codes({ types: Array.from({ length: 21 }, () => CHANGE_EVENT_TYPES.versionPublished) })).toEqual([
      'filter.types:TOO_MANY',
    ]);
  });

  it('releases an event only to who may read its product or domain; global events to everyone', () => {
    expect(mayReceive(ordersConsumer, live(envelope()))).toBe(true);
    expect(mayReceive(ordersConsumer, live(envelope(), OTHER_PRODUCT_ID))).toBe(false);
    // A product's readers may read its domain (as the domain query allows), so they get its domain events.
    expect(mayReceive(ordersConsumer, { event: envelope(), domainId: DOMAIN_ID, productId: null })).toBe(
      true,
    );
    expect(mayReceive(ordersConsumer, { event: envelope(), domainId: randomUUID(), productId: null })).toBe(
      false,
    );
    expect(mayReceive(ordersConsumer, { event: envelope(), domainId: null, productId: null })).toBe(true);
  });
});

describe('a live subscription', () => {
  function open(access: Partial<SubscriberAccess> = {}) {
    const ended: LiveSubscription[] = [];
    const subscription = new LiveSubscription(
      NO_FILTER,
      { actor: ordersConsumer, stale: () => false, reauthenticate: () => Promise.resolve(null), ...access },
      (s) => ended.push(s),
    );
    return { subscription, ended };
  }

  it('yields readable events in order and skips the rest', async () => {
    const { subscription } = open();
    const first = envelope();
    const hidden = envelope();
    const second = envelope();
    subscription.offer(live(first));
    subscription.offer(live(hidden, OTHER_PRODUCT_ID));
    subscription.offer(live(second));
    expect((await subscription.next()).value).toBe(first);
    expect((await subscription.next()).value).toBe(second);
    const pending = subscription.next();
    await subscription.return();
    expect(await pending).toEqual({ done: true, value: undefined });
  });

  it('cuts off a subscriber that falls too far behind', async () => {
    const { subscription, ended } = open();
    for (let i = 0; i <= MAX_PENDING_EVENTS; i += 1) subscription.offer(live(envelope()));
    await expect(subscription.next()).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      extensions: { code: 'UNAVAILABLE' },
    });
    expect(ended).toEqual([subscription]);
  });

  it('re-authenticates when stale and ends with UNAUTHENTICATED when that fails', async () => {
    let stale = false;
    const reauthenticate = jest.fn(() => Promise.resolve(null));
    const { subscription } = open({ stale: () => stale, reauthenticate });
    subscription.offer(live(envelope()));
    await subscription.next();
    expect(reauthenticate).not.toHaveBeenCalled();
    stale = true;
    subscription.offer(live(envelope()));
    await expect(subscription.next()).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(reauthenticate).toHaveBeenCalledTimes(1);
  });
});
