import { Client } from 'pg';
import { firstCode, startTestApp, type TestApp } from '../support/test-app';

const CREATE = `mutation($input: CreateDomainInput!) { createDomain(input: $input) { id name description owningTeam contacts { name email } } }`;

async function countDomains(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>('SELECT count(*)::text AS n FROM domains');
    return Number(rows[0]?.n);
  } finally {
    await client.end();
  }
}

describe('domains over GraphQL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('creates, reads and updates a domain', async () => {
    const input = {
      name: 'payments',
      owningTeam: 'team-pay',
      contacts: [{ name: 'Ada', email: 'ada@example.com' }],
    };
    const created = await t.gql(CREATE, { input });
    expect(created.errors).toBeUndefined();
    expect(created.data?.createDomain).toMatchObject({
      name: 'payments',
      owningTeam: 'team-pay',
      description: '',
    });

    const updated = await t.gql(
      `mutation { updateDomain(input: { name: "payments", description: "Money movement" }) { name description owningTeam } }`,
    );
    expect(updated.data?.updateDomain).toEqual({
      name: 'payments',
      description: 'Money movement',
      owningTeam: 'team-pay',
    });

    const read = await t.gql(`{ domain(name: "payments") { name description contacts { email } } }`);
    expect(read.data?.domain).toEqual({
      name: 'payments',
      description: 'Money movement',
      contacts: [{ email: 'ada@example.com' }],
    });
  });

  it.each([
    ['an upper-case name', { name: 'Payments', owningTeam: 't' }, 'name', 'INVALID_NAME'],
    ['a name with underscores', { name: 'pay_ments', owningTeam: 't' }, 'name', 'INVALID_NAME'],
    ['a name too long', { name: 'a'.repeat(64), owningTeam: 't' }, 'name', 'INVALID_NAME'],
    ['a blank owning team', { name: 'blank-team', owningTeam: '  ' }, 'owningTeam', 'REQUIRED'],
    [
      'a bad contact email',
      { name: 'bad-mail', owningTeam: 't', contacts: [{ name: 'x', email: 'nope' }] },
      'contacts.0.email',
      'INVALID_EMAIL',
    ],
    [
      'an oversized description',
      { name: 'long-desc', owningTeam: 't', description: 'x'.repeat(2001) },
      'description',
      'TOO_LONG',
    ],
  ])('refuses %s with INVALID_INPUT and stores nothing', async (_label, input, path, detailCode) => {
    const before = await countDomains(t.databaseUrl);
    const response = await t.gql(CREATE, { input });
    expect(firstCode(response)).toBe('INVALID_INPUT');
    expect(response.errors?.[0]?.extensions.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ path, code: detailCode })]),
    );
    expect(await countDomains(t.databaseUrl)).toBe(before);
  });

  it('refuses a GraphQL input of the wrong type with INVALID_INPUT', async () => {
    const response = await t.gql(CREATE, { input: { name: 42, owningTeam: 't' } });
    expect(firstCode(response)).toBe('INVALID_INPUT');
    expect(response.status).toBe(400);
  });

  it('answers CONFLICT for a duplicate name and keeps the first', async () => {
    await t.gql(CREATE, { input: { name: 'logistics', owningTeam: 'team-a' } });
    const before = await countDomains(t.databaseUrl);
    const duplicate = await t.gql(CREATE, { input: { name: 'logistics', owningTeam: 'team-b' } });
    expect(firstCode(duplicate)).toBe('CONFLICT');
    expect(await countDomains(t.databaseUrl)).toBe(before);
    const read = await t.gql(`{ domain(name: "logistics") { owningTeam } }`);
    expect(read.data?.domain).toEqual({ owningTeam: 'team-a' });
  });

  it('answers NOT_FOUND for unknown names', async () => {
    expect(firstCode(await t.gql(`{ domain(name: "nowhere") { id } }`))).toBe('NOT_FOUND');
    expect(
      firstCode(
        await t.gql(`mutation { updateDomain(input: { name: "nowhere", description: "x" }) { id } }`),
      ),
    ).toBe('NOT_FOUND');
  });

  it('pages through more than one page with cursors and filters by text', async () => {
    const names = Array.from({ length: 7 }, (_, i) => `page-${i}`);
    for (const name of names)
      await t.gql(CREATE, { input: { name, owningTeam: 't', description: `paged ${name}` } });
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page: any = await t.gql(
        `query($after: String) { domains(first: 3, after: $after, text: "paged") { nodes { name } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      seen.push(...page.data.domains.nodes.map((n: { name: string }) => n.name));
      after = page.data.domains.pageInfo.hasNextPage ? page.data.domains.pageInfo.endCursor : null;
      pages += 1;
    } while (after);
    expect(pages).toBe(3);
    expect(seen).toEqual(names);
  });

  it('refuses a forged cursor and an out-of-range page size', async () => {
    expect(firstCode(await t.gql(`{ domains(after: "not-a-cursor") { nodes { name } } }`))).toBe(
      'INVALID_INPUT',
    );
    expect(firstCode(await t.gql(`{ domains(first: 1000) { nodes { name } } }`))).toBe('INVALID_INPUT');
  });
});
