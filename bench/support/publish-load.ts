/**
 * The publish load of `bench:registry` (and `bench:ab -- … publish`): one domain with PRODUCTS
 * products, and revisions of one contract per product, driven over HTTP by autocannon with
 * IN_FLIGHT publishes in flight, every answer checked.
 */
import autocannon from 'autocannon';
import { benchContract } from '../../sdk/bench/bench-contract';

export const PRODUCTS = 100;
export const IN_FLIGHT = 20;

type GraphqlData = Record<string, { __typename?: string } | undefined>;

export async function gql(
  url: string,
  adminKey: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphqlData> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: GraphqlData; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data ?? {};
}

export const PUBLISH = `mutation($p: String!, $c: String!) { publishContractVersion(product: $p, contract: $c) { __typename } }`;

/** Publish `i`'s variables: product i mod PRODUCTS, its next revision. */
export function publishVariables(i: number): Record<string, string> {
  return { p: `bench.p${String(i % PRODUCTS)}`, c: benchContract(i % PRODUCTS, Math.floor(i / PRODUCTS)) };
}

export const publishBody = (i: number): string =>
  JSON.stringify({ query: PUBLISH, variables: publishVariables(i) });

/** The domain `bench` and its products `p0` .. `p<PRODUCTS-1>`. */
export async function createBenchProducts(url: string, adminKey: string): Promise<void> {
  await gql(url, adminKey, `mutation { createDomain(input: { name: "bench", owningTeam: "t" }) { id } }`);
  for (let p = 0; p < PRODUCTS; p += 1) {
    await gql(
      url,
      adminKey,
      `mutation($n: String!) { createDataProduct(input: { domain: "bench", name: $n, owningTeam: "t" }) { id } }`,
      { n: `p${p}` },
    );
  }
}

export async function publishOne(url: string, adminKey: string, i: number): Promise<void> {
  await gql(url, adminKey, PUBLISH, publishVariables(i));
}

/**
 * Publishes `first` .. `first + count - 1` with IN_FLIGHT in flight, every answer checked; timed to
 * the last answer (autocannon itself resolves only on its next one-second tick). Its own cost per
 * request is a fraction of fetch's on this machine.
 */
export async function publishBurst(
  url: string,
  adminKey: string,
  first: number,
  count: number,
): Promise<{ published: number; seconds: number }> {
  let issued = first;
  let published = 0;
  const started = performance.now();
  let answeredAt = started;
  await autocannon({
    url,
    connections: IN_FLIGHT,
    amount: count,
    requests: [
      {
        method: 'POST',
        path: '/graphql',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` },
        setupRequest: (request) => ({ ...request, body: publishBody(issued++) }),
        onResponse: (status, body) => {
          if (status === 200 && body.includes('"ContractVersionPublished"')) published += 1;
          answeredAt = performance.now();
        },
      },
    ],
  });
  if (published !== count) throw new Error(`${String(count - published)} publishes were refused`);
  return { published, seconds: (answeredAt - started) / 1000 };
}
