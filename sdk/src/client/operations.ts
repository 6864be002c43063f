/** The GraphQL operations the client and the CLI send, and the shapes they read back (schema.gql). */
export interface RegistryChange {
  type: string;
  category: string;
  breaking: boolean;
  breaks: string[];
  schemaPath: string;
  instancePath: string;
  message: string;
  fix: string | null;
  againstVersion: number | null;
}

export interface RegistryContractIssue {
  path: string;
  code: string;
  message: string;
}

export interface RegistryContractVersion {
  id: number;
  product: string;
  version: number;
  contentHash: string;
  state: string;
  deleted: boolean;
  document?: unknown;
}

export type CheckContractResult =
  | {
      __typename: 'CompatibleContract';
      mode: string;
      policy: string;
      needsApproval: boolean;
      existingVersion: { version: number } | null;
      changes: RegistryChange[];
    }
  | {
      __typename: 'IncompatibleContract';
      verdict: string;
      mode: string;
      policy: string;
      reason: string | null;
      changes: RegistryChange[];
    }
  | { __typename: 'InvalidContract'; issues: RegistryContractIssue[] };

export type PublishContractResult =
  | {
      __typename: 'ContractVersionPublished';
      created: boolean;
      needsApproval: boolean;
      contractVersion: RegistryContractVersion;
      changes: RegistryChange[];
    }
  | Exclude<CheckContractResult, { __typename: 'CompatibleContract' }>;

const CHANGE = 'type category breaking breaks schemaPath instancePath message fix againstVersion';
const VERSION = 'id product version contentHash state deleted';

export const CONTRACT_VERSION = `query CharterContractVersion($product: String!, $version: String!) {
  contractVersion(product: $product, version: $version) { ${VERSION} document } }`;

/** Revalidation of `latest`: identity only, no document. */
export const CONTRACT_VERSION_HEAD = `query CharterContractVersionHead($product: String!, $version: String!) {
  contractVersion(product: $product, version: $version) { ${VERSION} } }`;

export const CHECK_CONTRACT = `query CharterCheckContract($product: String!, $contract: String!) {
  checkContract(product: $product, contract: $contract) {
    __typename
    ... on CompatibleContract { mode policy needsApproval existingVersion { version } changes { ${CHANGE} } }
    ... on IncompatibleContract { verdict mode policy reason changes { ${CHANGE} } }
    ... on InvalidContract { issues { path code message } } } }`;

export const PUBLISH_CONTRACT = `mutation CharterPublishContract($product: String!, $contract: String!) {
  publishContractVersion(product: $product, contract: $contract) {
    __typename
    ... on ContractVersionPublished { created needsApproval contractVersion { ${VERSION} } changes { ${CHANGE} } }
    ... on IncompatibleContract { verdict mode policy reason changes { ${CHANGE} } }
    ... on InvalidContract { issues { path code message } } } }`;
