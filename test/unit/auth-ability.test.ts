import { subject } from '@casl/ability';
import { buildAbility, type Action, type SubjectName } from '../../src/auth/ability';
import { can as serviceCan } from '../../src/auth/access';
import { type Actor } from '../../src/auth/actor';
import { hashApiKey, apiKeyMatches, generateApiKey, parseApiKey } from '../../src/auth/api-key';
import { ALL_FIELDS, clearAccessGrantFor, clearFieldsOf } from '../../src/auth/field-access';
import { TokenBuckets } from '../../src/auth/rate-limiter';
import { type RoleBinding } from '../../src/auth/roles';
import { scopeFilter, scopeSql } from '../../src/auth/scope-filter';
import { globCovers, compileGlob } from '@charter/sdk';

const SALES = 'd-sales';
const HR = 'd-hr';
const ORDERS = { id: 'p-orders', domainId: SALES };
const LEADS = { id: 'p-leads', domainId: SALES };
const PEOPLE = { id: 'p-people', domainId: HR };

const bind = (
  role: RoleBinding['role'],
  scope: 'global' | 'sales' | 'orders',
  clearFields: string[] = [],
): RoleBinding => ({
  role,
  domainId: scope === 'global' ? null : SALES,
  productId: scope === 'orders' ? ORDERS.id : null,
  clearFields,
});
const abilityOf = (...bindings: RoleBinding[]) => buildAbility({ id: 'me', bindings });
const can = (bindings: RoleBinding[], action: Action, name: SubjectName, fields: Record<string, unknown>) =>
  abilityOf(...bindings).can(action, subject(name, { ...fields }));
const inProduct = (p: { id: string; domainId: string }) => ({ productId: p.id, domainId: p.domainId });

describe('buildAbility', () => {
  it.each([
    // role binding, action, subject, instance, expected
    [[bind('admin', 'global')], 'update', 'Domain', { id: HR }, true],
    [[bind('admin', 'global')], 'readClear', 'ProductData', inProduct(ORDERS), false],
    [[bind('owner', 'sales')], 'update', 'Domain', { id: SALES }, true],
    [[bind('owner', 'sales')], 'update', 'Domain', { id: HR }, false],
    [[bind('owner', 'sales')], 'create', 'DataProduct', { domainId: SALES }, true],
    [
      [bind('owner', 'sales')],
      'create',
      'RoleGrant',
      { principalId: 'x', role: 'producer', domainId: SALES, productId: null },
      true,
    ],
    [
      [bind('owner', 'sales')],
      'create',
      'RoleGrant',
      { principalId: 'x', role: 'admin', domainId: SALES, productId: null },
      false,
    ],
    [
      [bind('owner', 'sales')],
      'create',
      'RoleGrant',
      { principalId: 'x', role: 'governance', domainId: SALES, productId: null },
      false,
    ],
    [[bind('owner', 'orders')], 'update', 'DataProduct', ORDERS, true],
    [[bind('owner', 'orders')], 'update', 'DataProduct', LEADS, false],
    [[bind('owner', 'orders')], 'update', 'Domain', { id: SALES }, false],
    [[bind('owner', 'orders')], 'read', 'Domain', { id: SALES }, true],
    [
      [bind('owner', 'orders')],
      'create',
      'RoleGrant',
      { principalId: 'x', role: 'consumer', domainId: SALES, productId: null },
      false,
    ],
    [[bind('producer', 'sales')], 'publish', 'Contract', inProduct(LEADS), true],
    [[bind('producer', 'sales')], 'publish', 'Contract', inProduct(PEOPLE), false],
    [[bind('producer', 'orders')], 'publish', 'Contract', inProduct(LEADS), false],
    [[bind('producer', 'sales')], 'update', 'DataProduct', ORDERS, false],
    [[bind('consumer', 'orders')], 'read', 'Contract', inProduct(ORDERS), true],
    [[bind('consumer', 'orders')], 'publish', 'Contract', inProduct(ORDERS), false],
    [[bind('consumer', 'orders')], 'read', 'AuditLog', inProduct(ORDERS), false],
    [[bind('governance', 'global')], 'read', 'AuditLog', inProduct(PEOPLE), true],
    [[bind('governance', 'global')], 'update', 'Policy', inProduct(PEOPLE), true],
    [[bind('governance', 'global')], 'publish', 'Contract', inProduct(PEOPLE), false],
    [[bind('governance', 'sales')], 'read', 'DataProduct', PEOPLE, false],
    [[bind('ci', 'orders')], 'check', 'Contract', inProduct(ORDERS), true],
    [[bind('ci', 'orders')], 'validate', 'Contract', inProduct(ORDERS), true],
    [[bind('ci', 'orders')], 'publish', 'Contract', inProduct(ORDERS), false],
    [[], 'read', 'Principal', { id: 'me' }, true],
    [[], 'read', 'Principal', { id: 'someone' }, false],
    [[], 'delete', 'ApiKey', { principalId: 'me' }, true],
    [[], 'delete', 'ApiKey', { principalId: 'someone' }, false],
  ] as const)('%j: %s %s %j → %s', (bindings, action, name, fields, expected) => {
    expect(can([...bindings], action, name, fields)).toBe(expected);
    // What services ask through access.ts (subjects typed by class, not tagged): the same answer.
    const actor = { ability: abilityOf(...bindings) } as unknown as Actor;
    expect(serviceCan(actor, action, name, fields)).toBe(expected);
  });

  it('never authorizes an instance from a type-level answer (CASL trap 2)', () => {
    const ability = abilityOf(bind('owner', 'sales'));
    expect(ability.can('update', 'Domain')).toBe(true); // "some domain": the guard's coarse question
    expect(ability.can('update', subject('Domain', { id: HR }))).toBe(false); // what services ask
  });
});

describe('scopeFilter (list visibility from the same rules)', () => {
  const sql = (bindings: RoleBinding[], name: SubjectName) => {
    const scope = scopeFilter(abilityOf(...bindings), 'read', name);
    const params: unknown[] = [];
    return (
      scope && {
        sql: scopeSql(
          scope,
          { id: 'id', domainId: 'domain_id', principalId: 'principal_id' },
          (v) => `$${params.push(v)}`,
        ),
        params,
      }
    );
  };

  it('is everything for platform roles, nothing without a rule, and an OR of ids otherwise', () => {
    expect(sql([bind('admin', 'global')], 'DataProduct')).toEqual({ sql: 'TRUE', params: [] });
    expect(sql([], 'DataProduct')).toBeNull();
    expect(sql([bind('consumer', 'orders'), bind('producer', 'sales')], 'DataProduct')).toEqual({
      sql: '(domain_id = $1 OR id = $2)',
      params: [SALES, ORDERS.id],
    });
  });

  it('agrees with instance checks on every product (differential)', () => {
    const bindingsSets = [[bind('owner', 'orders')], [bind('consumer', 'sales')], [bind('ci', 'global')], []];
    for (const bindings of bindingsSets) {
      const ability = abilityOf(...bindings);
      const scope = scopeFilter(ability, 'read', 'DataProduct');
      const visible = (p: { id: string; domainId: string }): boolean => {
        if (!scope) return false;
        const evaluate = (c: typeof scope): boolean =>
          c.op === 'all'
            ? true
            : c.op === 'eq'
              ? (p as Record<string, string>)[c.field] === c.value
              : c.op === 'and'
                ? c.of.every(evaluate)
                : c.op === 'or'
                  ? c.of.some(evaluate)
                  : !c.of.every(evaluate);
        return evaluate(scope);
      };
      for (const product of [ORDERS, LEADS, PEOPLE])
        expect(visible(product)).toBe(ability.can('read', subject('DataProduct', { ...product })));
    }
  });
});

describe('field-level clear access', () => {
  it('gives a consumer its granted globs on its product only, and governance every field', () => {
    const consumer = abilityOf(bind('consumer', 'orders', ['/customer/email', '/lines/*/sku']));
    expect(clearFieldsOf(consumer, inProduct(ORDERS) as never)).toEqual(['/customer/email', '/lines/*/sku']);
    expect(clearFieldsOf(consumer, { productId: LEADS.id, domainId: SALES })).toEqual([]);
    expect(
      clearFieldsOf(abilityOf(bind('governance', 'global')), { productId: PEOPLE.id, domainId: HR }),
    ).toEqual([ALL_FIELDS]);
    expect(clearFieldsOf(abilityOf(bind('admin', 'global')), { productId: PEOPLE.id, domainId: HR })).toEqual(
      [],
    );
  });

  it('never answers field access with a field-less instance check (CASL trap 1)', () => {
    const consumer = abilityOf(bind('consumer', 'orders', ['/customer/email']));
    // The trap: "may read clear on this product?" says yes although most fields are not granted.
    expect(consumer.can('readClear', subject('ProductData', inProduct(ORDERS)))).toBe(true);
    const fields = clearFieldsOf(consumer, { productId: ORDERS.id, domainId: SALES });
    expect(fields.some((glob) => globCovers(compileGlob(glob), '/customer/name'))).toBe(false);
    expect(fields.some((glob) => globCovers(compileGlob(glob), '/customer/email'))).toBe(true);
  });

  it('hands the SDK policy an access grant for this principal', () => {
    const ability = abilityOf(bind('consumer', 'orders', ['/customer/email']));
    expect(clearAccessGrantFor(ability, { productId: ORDERS.id, domainId: SALES }, 'analytics')).toEqual({
      consumer: 'analytics',
      fields: ['/customer/email'],
      justification: 'role grant',
    });
    expect(clearAccessGrantFor(ability, { productId: PEOPLE.id, domainId: HR }, 'analytics')).toBeNull();
  });
});

describe('API keys', () => {
  it('are prefixed by environment, parse back to their id, and match only their own hash', () => {
    const key = generateApiKey('live');
    expect(key.secret).toMatch(/^chk_live_[a-z0-9]{16}_[A-Za-z0-9_-]{43}$/);
    expect(parseApiKey(key.secret)).toEqual({ environment: 'live', keyId: key.keyId });
    expect(apiKeyMatches(key.secret, key.hash)).toBe(true);
    expect(apiKeyMatches(generateApiKey('live').secret, key.hash)).toBe(false);
    expect(hashApiKey(key.secret)).toHaveLength(32);
    expect(parseApiKey(key.secret.replace('chk_live_', 'chk_prod_'))).toBeNull();
    expect(parseApiKey(`${key.secret}x`)).toBeNull();
  });
});

describe('TokenBuckets', () => {
  it('allows a burst, then refills at the configured rate, per key', () => {
    let now = 0;
    const buckets = new TokenBuckets({ perMinute: 60, burst: 2 }, () => now);
    expect([buckets.take('a'), buckets.take('a')]).toEqual([{ ok: true }, { ok: true }]);
    expect(buckets.take('a')).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(buckets.take('b')).toEqual({ ok: true });
    now += 1000;
    expect(buckets.take('a')).toEqual({ ok: true });
    expect(buckets.take('a')).toEqual({ ok: false, retryAfterSeconds: 1 });
  });
});
