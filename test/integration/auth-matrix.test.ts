/**
 * The authorization matrix: every role × every operation × the caller's own resource, a sibling
 * product in the same domain, and another domain. Letters: A allowed (for lists: the target is
 * listed), E allowed but the target is not listed, H NOT_FOUND (hidden exactly like a missing
 * resource), F FORBIDDEN, U UNAUTHENTICATED. The README table is this table.
 */
import {
  firstCode,
  type GraphqlResponse,
  startTestApp,
  TEST_ADMIN_KEY,
  type TestApp,
} from '../support/test-app';

type Scope = 'own' | 'sibling' | 'other';
type Letter = 'A' | 'E' | 'H' | 'F' | 'U';

const ROLES = {
  admin: null,
  'owner-d': { role: 'owner', domain: 'sales' },
  'owner-p': { role: 'owner', product: 'sales.orders' },
  'producer-d': { role: 'producer', domain: 'sales' },
  'producer-p': { role: 'producer', product: 'sales.orders' },
  'consumer-p': { role: 'consumer', product: 'sales.orders' },
  governance: { role: 'governance' },
  'governance-d': { role: 'governance', domain: 'sales' },
  'ci-p': { role: 'ci', product: 'sales.orders' },
  nobody: null,
  anonymous: null,
} as const;
type RoleName = keyof typeof ROLES;
const ROLE_NAMES = Object.keys(ROLES) as RoleName[];

const DOMAIN: Record<Scope, string> = { own: 'sales', sibling: 'sales', other: 'hr' };
const PRODUCT: Record<Scope, string> = { own: 'sales.orders', sibling: 'sales.leads', other: 'hr.people' };

interface Run {
  t: TestApp;
  token: string | null;
  scope: Scope;
  self: string;
  unique: string;
}
interface Operation {
  name: string;
  scopes: Scope[];
  run: (run: Run) => Promise<{ response: GraphqlResponse; listed?: boolean }>;
  /** One string per role, one letter per scope, e.g. 'A/A/H'. */
  expect: Record<RoleName, string>;
}

let counter = 0;
const must = async (t: TestApp, query: string, variables: Record<string, unknown> = {}): Promise<any> => {
  const response = await t.gql(query, variables);
  if (response.errors) throw new Error(JSON.stringify(response.errors));
  return response.data;
};
const newPrincipal = async (t: TestApp, name: string): Promise<void> => {
  await must(t, `mutation($n: String!) { createPrincipal(input: { name: $n, kind: service }) { id } }`, {
    n: name,
  });
};
const names = (data: any, field: string, key: string): string[] =>
  data?.[field]?.nodes?.map((n: any) => n[key]) ?? [];

const row = (...cells: string[]): Record<RoleName, string> =>
  Object.fromEntries(ROLE_NAMES.map((role, i) => [role, cells[i] as string])) as Record<RoleName, string>;

// Role order in every row: admin, owner-d, owner-p, producer-d, producer-p, consumer-p, governance,
// governance-d, ci-p, nobody, anonymous.
const OPERATIONS: Operation[] = [
  {
    name: 'read a domain',
    scopes: ['own', 'other'],
    run: async ({ t, token, scope }) => ({
      response: await t.gqlAs(token, `query($n: String!) { domain(name: $n) { name } }`, {
        n: DOMAIN[scope],
      }),
    }),
    expect: row('A/A', 'A/H', 'A/H', 'A/H', 'A/H', 'A/H', 'A/A', 'A/H', 'A/H', 'F/F', 'U/U'),
  },
  {
    name: 'list domains',
    scopes: ['own', 'other'],
    run: async ({ t, token, scope }) => {
      const response = await t.gqlAs(token, `{ domains { nodes { name } } }`);
      return { response, listed: names(response.data, 'domains', 'name').includes(DOMAIN[scope]) };
    },
    expect: row('A/A', 'A/E', 'A/E', 'A/E', 'A/E', 'A/E', 'A/A', 'A/E', 'A/E', 'F/F', 'U/U'),
  },
  {
    name: 'create a domain',
    scopes: ['own'],
    run: async ({ t, token, unique }) => ({
      response: await t.gqlAs(
        token,
        `mutation($n: String!) { createDomain(input: { name: $n, owningTeam: "t" }) { name } }`,
        {
          n: unique,
        },
      ),
    }),
    expect: row('A', 'F', 'F', 'F', 'F', 'F', 'F', 'F', 'F', 'F', 'U'),
  },
  {
    name: 'update a domain',
    scopes: ['own', 'other'],
    run: async ({ t, token, scope }) => ({
      response: await t.gqlAs(
        token,
        `mutation($n: String!) { updateDomain(input: { name: $n, description: "x" }) { name } }`,
        {
          n: DOMAIN[scope],
        },
      ),
    }),
    expect: row('A/A', 'A/H', 'F/F', 'F/F', 'F/F', 'F/F', 'F/F', 'F/F', 'F/F', 'F/F', 'U/U'),
  },
  {
    name: 'read a data product',
    scopes: ['own', 'sibling', 'other'],
    run: async ({ t, token, scope }) => ({
      response: await t.gqlAs(token, `query($r: String!) { dataProduct(ref: $r) { fullName } }`, {
        r: PRODUCT[scope],
      }),
    }),
    expect: row(
      'A/A/A',
      'A/A/H',
      'A/H/H',
      'A/A/H',
      'A/H/H',
      'A/H/H',
      'A/A/A',
      'A/A/H',
      'A/H/H',
      'F/F/F',
      'U/U/U',
    ),
  },
  {
    name: 'list data products',
    scopes: ['own', 'sibling', 'other'],
    run: async ({ t, token, scope }) => {
      const response = await t.gqlAs(token, `{ dataProducts { nodes { fullName } } }`);
      return { response, listed: names(response.data, 'dataProducts', 'fullName').includes(PRODUCT[scope]) };
    },
    expect: row(
      'A/A/A',
      'A/A/E',
      'A/E/E',
      'A/A/E',
      'A/E/E',
      'A/E/E',
      'A/A/A',
      'A/A/E',
      'A/E/E',
      'F/F/F',
      'U/U/U',
    ),
  },
  {
    name: 'create a data product',
    scopes: ['own', 'other'],
    run: async ({ t, token, scope, unique }) => ({
      response: await t.gqlAs(
        token,
        `mutation($d: String!, $n: String!) { createDataProduct(input: { domain: $d, name: $n, owningTeam: "t" }) { id } }`,
        { d: DOMAIN[scope], n: unique },
      ),
    }),
    expect: row('A/A', 'A/H', 'F/F', 'F/F', 'F/F', 'F/F', 'F/F', 'F/F', 'F/F', 'F/F', 'U/U'),
  },
  {
    name: 'update a data product',
    scopes: ['own', 'sibling', 'other'],
    run: async ({ t, token, scope }) => ({
      response: await t.gqlAs(
        token,
        `mutation($r: String!) { updateDataProduct(input: { product: $r, description: "x" }) { id } }`,
        { r: PRODUCT[scope] },
      ),
    }),
    expect: row(
      'A/A/A',
      'A/A/H',
      'A/H/H',
      'F/F/F',
      'F/F/F',
      'F/F/F',
      'F/F/F',
      'F/F/F',
      'F/F/F',
      'F/F/F',
      'U/U/U',
    ),
  },
  {
    name: 'read oneself (me)',
    scopes: ['own'],
    run: async ({ t, token, self }) => {
      const response = await t.gqlAs(token, `{ me { name } }`);
      return { response, listed: response.data?.me?.name === self };
    },
    expect: row('A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'U'),
  },
  {
    name: 'read another principal',
    scopes: ['other'],
    run: async ({ t, token }) => ({
      response: await t.gqlAs(token, `{ principal(name: "member") { name } }`),
    }),
    expect: row('A', 'A', 'A', 'H', 'H', 'H', 'A', 'H', 'H', 'H', 'U'),
  },
  {
    name: 'list principals',
    scopes: ['other'],
    run: async ({ t, token }) => {
      const response = await t.gqlAs(token, `{ principals(first: 100) { nodes { name } } }`);
      return { response, listed: names(response.data, 'principals', 'name').includes('member') };
    },
    expect: row('A', 'A', 'A', 'E', 'E', 'E', 'A', 'E', 'E', 'E', 'U'),
  },
  {
    name: 'create a principal',
    scopes: ['other'],
    run: async ({ t, token, unique }) => ({
      response: await t.gqlAs(
        token,
        `mutation($n: String!) { createPrincipal(input: { name: $n, kind: person }) { id } }`,
        {
          n: unique,
        },
      ),
    }),
    expect: row('A', 'F', 'F', 'F', 'F', 'F', 'F', 'F', 'F', 'F', 'U'),
  },
  {
    name: 'create an API key',
    scopes: ['own', 'other'],
    run: async ({ t, token, scope, self }) => ({
      response: await t.gqlAs(
        token,
        `mutation($p: String!) { createApiKey(input: { principal: $p }) { secret } }`,
        {
          p: scope === 'own' ? self : 'member',
        },
      ),
    }),
    expect: row('A/A', 'A/F', 'A/F', 'A/H', 'A/H', 'A/H', 'A/F', 'A/H', 'A/H', 'A/H', 'U/U'),
  },
  {
    name: 'revoke an API key',
    scopes: ['own', 'other'],
    run: async ({ t, token, scope, self }) => {
      const owner = scope === 'own' ? self : 'member';
      const created = await must(
        t,
        `mutation($p: String!) { createApiKey(input: { principal: $p }) { apiKey { keyId } } }`,
        {
          p: owner === 'anonymous' ? 'member' : owner,
        },
      );
      const keyId: string = created.createApiKey.apiKey.keyId;
      return {
        response: await t.gqlAs(token, `mutation($k: String!) { revokeApiKey(keyId: $k) { keyId } }`, {
          k: keyId,
        }),
      };
    },
    expect: row('A/A', 'A/H', 'A/H', 'A/H', 'A/H', 'A/H', 'A/F', 'A/H', 'A/H', 'A/H', 'U/U'),
  },
  {
    name: 'grant a role',
    scopes: ['own', 'sibling', 'other'],
    run: async ({ t, token, scope, unique }) => {
      await newPrincipal(t, unique);
      return {
        response: await t.gqlAs(
          token,
          `mutation($p: String!, $r: String!) { grantRole(input: { principal: $p, role: producer, product: $r }) { id } }`,
          { p: unique, r: PRODUCT[scope] },
        ),
      };
    },
    expect: row(
      'A/A/A',
      'A/A/H',
      'A/H/H',
      'F/F/F',
      'F/F/F',
      'F/F/F',
      'F/F/F',
      'F/F/F',
      'F/F/F',
      'F/F/F',
      'U/U/U',
    ),
  },
  {
    name: 'revoke a role',
    scopes: ['own', 'sibling', 'other'],
    run: async ({ t, token, scope, unique }) => {
      await newPrincipal(t, unique);
      const granted = await must(
        t,
        `mutation($p: String!, $r: String!) { grantRole(input: { principal: $p, role: consumer, product: $r }) { id } }`,
        { p: unique, r: PRODUCT[scope] },
      );
      return {
        response: await t.gqlAs(token, `mutation($id: String!) { revokeRole(id: $id) { id } }`, {
          id: granted.grantRole.id,
        }),
      };
    },
    expect: row(
      'A/A/A',
      'A/A/H',
      'A/H/H',
      'F/F/F',
      'F/F/F',
      'F/F/F',
      'F/F/F',
      'F/F/F',
      'F/F/F',
      'F/F/F',
      'U/U/U',
    ),
  },
  {
    name: 'list role grants of a product',
    scopes: ['own', 'sibling', 'other'],
    run: async ({ t, token, scope }) => {
      const response = await t.gqlAs(token, `query($r: String!) { roleGrants(product: $r) { principal } }`, {
        r: PRODUCT[scope],
      });
      const listed = ((response.data?.roleGrants ?? []) as { principal: string }[]).some(
        (g) => g.principal === 'member',
      );
      return { response, listed };
    },
    expect: row(
      'A/A/A',
      'A/A/H',
      'A/H/H',
      'E/E/H',
      'E/H/H',
      'E/H/H',
      'A/A/A',
      'A/A/H',
      'E/H/H',
      'H/H/H',
      'U/U/U',
    ),
  },
];

function letterOf(response: GraphqlResponse, listed: boolean | undefined): string {
  const code = firstCode(response);
  if (code === 'OK') return listed === false ? 'E' : 'A';
  return ({ NOT_FOUND: 'H', FORBIDDEN: 'F', UNAUTHENTICATED: 'U' } as Record<string, Letter>)[code] ?? code;
}

const CASES = OPERATIONS.flatMap((operation) =>
  ROLE_NAMES.flatMap((role) =>
    operation.scopes.map((scope, i) => ({
      operation,
      role,
      scope,
      expected: operation.expect[role].split('/')[i] as string,
    })),
  ),
);

describe('authorization matrix', () => {
  let t: TestApp;
  const tokens = new Map<RoleName, string | null>();

  beforeAll(async () => {
    t = await startTestApp();
    for (const d of ['sales', 'hr'])
      await must(t, `mutation($n: String!) { createDomain(input: { name: $n, owningTeam: "t" }) { id } }`, {
        n: d,
      });
    for (const ref of Object.values(PRODUCT)) {
      const [domain, name] = ref.split('.');
      await must(
        t,
        `mutation($d: String!, $n: String!) { createDataProduct(input: { domain: $d, name: $n, owningTeam: "t" }) { id } }`,
        {
          d: domain,
          n: name,
        },
      );
    }
    await t.principalWith(
      'member',
      Object.values(PRODUCT).map((product) => ({ role: 'consumer', product })),
    );
    for (const role of ROLE_NAMES) {
      const grant = ROLES[role];
      if (role === 'admin') tokens.set(role, TEST_ADMIN_KEY);
      else if (role === 'anonymous') tokens.set(role, null);
      else tokens.set(role, await t.principalWith(role, grant ? [grant] : []));
    }
  });
  afterAll(() => t.close());

  it('covers every role for every operation', () => {
    for (const operation of OPERATIONS)
      for (const role of ROLE_NAMES)
        expect(operation.expect[role].split('/')).toHaveLength(operation.scopes.length);
  });

  it.each(CASES.map((c) => [c.operation.name, c.role, c.scope, c.expected, c] as const))(
    '%s as %s on %s resource: %s',
    async (_name, role, scope, expected, { operation }) => {
      counter += 1;
      const token = tokens.get(role) ?? null;
      const deniedBefore = t.audit.ofType('access.denied').length;
      const failedBefore = t.audit.ofType('authentication.failed').length;
      const run = {
        t,
        scope,
        self: role === 'admin' ? 'bootstrap-admin' : role,
        unique: `n${counter}-${Date.now() % 100000}`,
      };
      const { response, listed } = await operation.run({ ...run, token });
      expect(letterOf(response, listed)).toBe(expected);
      if (expected === 'H' || expected === 'F')
        expect(t.audit.ofType('access.denied').length).toBeGreaterThan(deniedBefore);
      if (expected === 'U') expect(t.audit.ofType('authentication.failed').length).toBe(failedBefore + 1);
    },
  );

  it('answers a hidden domain and a missing one identically (no probing by name)', async () => {
    const token = tokens.get('owner-d') ?? null;
    const hidden = await t.gqlAs(token, `{ domain(name: "hr") { name } }`);
    const missing = await t.gqlAs(token, `{ domain(name: "hx") { name } }`);
    expect(hidden.status).toBe(missing.status);
    expect(JSON.stringify(hidden).replace('hr', 'NAME')).toBe(JSON.stringify(missing).replace('hx', 'NAME'));
    const hiddenProduct = await t.gqlAs(token, `{ dataProduct(ref: "hr.people") { id } }`);
    const missingProduct = await t.gqlAs(token, `{ dataProduct(ref: "hr.nobody") { id } }`);
    expect(JSON.stringify(hiddenProduct).replace('hr.people', 'REF')).toBe(
      JSON.stringify(missingProduct).replace('hr.nobody', 'REF'),
    );
  });

  it('takes a revoked role away on the very next request', async () => {
    const token = await t.principalWith('short-lived', [{ role: 'consumer', product: 'hr.people' }]);
    expect(firstCode(await t.gqlAs(token, `{ dataProduct(ref: "hr.people") { id } }`))).toBe('OK');
    const grants = await must(t, `{ roleGrants(principal: "short-lived") { id } }`);
    await must(t, `mutation($id: String!) { revokeRole(id: $id) { id } }`, { id: grants.roleGrants[0].id });
    expect(firstCode(await t.gqlAs(token, `{ dataProduct(ref: "hr.people") { id } }`))).toBe('FORBIDDEN');
  });
});
