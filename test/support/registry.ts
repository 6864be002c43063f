import { Client } from 'pg';
import { type TestApp } from './test-app';

export const PUBLISH = `mutation($product: String!, $contract: String!) {
  publishContractVersion(product: $product, contract: $contract) {
    __typename
    ... on ContractVersionPublished { created needsApproval contractVersion { id version product contentHash state deleted } changes { type category breaking } }
    ... on IncompatibleContract { verdict mode policy reason changes { type category breaking breaks schemaPath instancePath message fix againstVersion } }
    ... on InvalidContract { issues { path code message } }
  } }`;

export const CHECK = `query($product: String!, $contract: String!) {
  checkContract(product: $product, contract: $contract) {
    __typename
    ... on CompatibleContract { mode policy needsApproval existingVersion { version } changes { type } }
    ... on IncompatibleContract { verdict changes { type breaking instancePath } }
    ... on InvalidContract { issues { path code } }
  } }`;

export async function publish(t: TestApp, product: string, contract: string): Promise<Record<string, any>> {
  const response = await t.gql(PUBLISH, { product, contract });
  if (response.errors) throw new Error(`publish failed: ${JSON.stringify(response.errors)}`);
  return response.data?.publishContractVersion;
}

export async function createProduct(t: TestApp, domain: string, product: string): Promise<void> {
  await t.gql(`mutation($n: String!) { createDomain(input: { name: $n, owningTeam: "team" }) { id } }`, {
    n: domain,
  });
  const created = await t.gql(
    `mutation($d: String!, $p: String!) { createDataProduct(input: { domain: $d, name: $p, owningTeam: "team" }) { id } }`,
    { d: domain, p: product },
  );
  if (created.errors) throw new Error(JSON.stringify(created.errors));
}

export async function setMode(t: TestApp, product: string, mode: string): Promise<void> {
  const response = await t.gql(
    `mutation($p: String!, $m: CompatibilityMode) { setCompatibilitySettings(input: { product: $p, mode: $m }) { mode } }`,
    { p: product, m: mode },
  );
  if (response.errors) throw new Error(JSON.stringify(response.errors));
}

/** Row counts of the registry tables, to prove a refused request stored nothing. */
export async function registryCounts(databaseUrl: string): Promise<Record<string, number>> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<Record<string, string>>(`SELECT
      (SELECT count(*) FROM contract_versions) AS versions, (SELECT count(*) FROM contract_contents) AS contents,
      (SELECT coalesce(sum(jsonb_array_length(fields)), 0) FROM contract_versions) AS fields, (SELECT count(*) FROM compatibility_settings) AS settings`);
    return Object.fromEntries(Object.entries(rows[0] ?? {}).map(([k, v]) => [k, Number(v)]));
  } finally {
    await client.end();
  }
}
