import { firstCode, startTestApp, type TestApp } from '../support/test-app';

const CREATE = `mutation($input: CreateDataProductInput!) {
  createDataProduct(input: $input) { id domain name fullName tags status owningTeam } }`;
const LIST = `query($first: Int, $after: String, $filter: DataProductFilter) {
  dataProducts(first: $first, after: $after, filter: $filter) { nodes { fullName } pageInfo { hasNextPage endCursor } } }`;

describe('data products over GraphQL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    for (const name of ['payments', 'logistics']) {
      await t.gql(`mutation($n: String!) { createDomain(input: { name: $n, owningTeam: "team" }) { id } }`, {
        n: name,
      });
    }
  });
  afterAll(() => t.close());

  const create = (input: Record<string, unknown>) =>
    t.gql(CREATE, { input: { owningTeam: 'team', ...input } });

  it('creates a product addressed as domain.product, defaulting to draft', async () => {
    const response = await create({ domain: 'payments', name: 'orders', tags: ['pii', 'pii', 'gold'] });
    expect(response.errors).toBeUndefined();
    expect(response.data?.createDataProduct).toMatchObject({
      domain: 'payments',
      name: 'orders',
      fullName: 'payments.orders',
      status: 'draft',
      tags: ['pii', 'gold'],
    });
    const read = await t.gql(`{ dataProduct(ref: "payments.orders") { fullName status } }`);
    expect(read.data?.dataProduct).toEqual({ fullName: 'payments.orders', status: 'draft' });
  });

  it('answers NOT_FOUND for an unknown domain or product, CONFLICT for a duplicate', async () => {
    expect(firstCode(await create({ domain: 'nowhere', name: 'orders' }))).toBe('NOT_FOUND');
    await create({ domain: 'logistics', name: 'shipments' });
    expect(firstCode(await create({ domain: 'logistics', name: 'shipments' }))).toBe('CONFLICT');
    expect(firstCode(await t.gql(`{ dataProduct(ref: "logistics.nothing") { id } }`))).toBe('NOT_FOUND');
    expect(firstCode(await t.gql(`{ dataProduct(ref: "not a ref") { id } }`))).toBe('NOT_FOUND');
  });

  it('refuses bad names and tags with INVALID_INPUT', async () => {
    expect(firstCode(await create({ domain: 'payments', name: 'Bad Name' }))).toBe('INVALID_INPUT');
    const badTag = await create({ domain: 'payments', name: 'tagged', tags: ['UPPER'] });
    expect(firstCode(badTag)).toBe('INVALID_INPUT');
    expect(badTag.errors?.[0]?.extensions.details?.[0]).toMatchObject({
      path: 'tags.0',
      code: 'INVALID_TAG',
    });
    expect(firstCode(await t.gql(`{ dataProduct(ref: "payments.tagged") { id } }`))).toBe('NOT_FOUND');
  });

  it('follows the lifecycle and refuses a forbidden transition', async () => {
    await create({ domain: 'payments', name: 'refunds' });
    const update = (status: string) =>
      t.gql(
        `mutation($s: ProductStatus) { updateDataProduct(input: { product: "payments.refunds", status: $s }) { status } }`,
        {
          s: status,
        },
      );
    expect((await update('active')).data?.updateDataProduct).toEqual({ status: 'active' });
    expect((await update('retired')).errors?.[0]?.extensions.details?.[0]?.code).toBe(
      'INVALID_STATUS_TRANSITION',
    );
    expect((await update('deprecated')).data?.updateDataProduct).toEqual({ status: 'deprecated' });
    expect((await update('retired')).data?.updateDataProduct).toEqual({ status: 'retired' });
  });

  it('lists with filters (domain, tag, status, text) and pages by cursor', async () => {
    for (let i = 0; i < 5; i += 1)
      await create({ domain: 'logistics', name: `route-${i}`, tags: i % 2 ? ['odd'] : [] });
    const first = await t.gql(LIST, { first: 2, filter: { domain: 'logistics', text: 'route' } });
    expect(first.data?.dataProducts.nodes.map((n: { fullName: string }) => n.fullName)).toEqual([
      'logistics.route-0',
      'logistics.route-1',
    ]);
    const second = await t.gql(LIST, {
      first: 2,
      after: first.data?.dataProducts.pageInfo.endCursor,
      filter: { domain: 'logistics', text: 'route' },
    });
    expect(second.data?.dataProducts.nodes.map((n: { fullName: string }) => n.fullName)).toEqual([
      'logistics.route-2',
      'logistics.route-3',
    ]);
    expect(second.data?.dataProducts.pageInfo.hasNextPage).toBe(true);

    const odd = await t.gql(LIST, { filter: { tag: 'odd' } });
    expect(odd.data?.dataProducts.nodes.map((n: { fullName: string }) => n.fullName)).toEqual([
      'logistics.route-1',
      'logistics.route-3',
    ]);
    const retired = await t.gql(LIST, { filter: { status: 'retired' } });
    expect(retired.data?.dataProducts.nodes).toEqual([{ fullName: 'payments.refunds' }]);
    const wildcard = await t.gql(LIST, { filter: { text: '%' } });
    expect(wildcard.data?.dataProducts.nodes).toEqual([]);
  });
});
