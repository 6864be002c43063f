import { parseProductRef } from '../naming';
import { type ContractValidator } from '../validation';
import { CharterClientError } from './errors';
import { offlineValidator } from './offline';
import { createPayloadReader, type PayloadReader, type ReaderOptions } from './reader';
import {
  CHECK_CONTRACT,
  type CheckContractResult,
  CONTRACT_VERSION,
  PUBLISH_CONTRACT,
  type PublishContractResult,
  type RegistryContractVersion,
} from './operations';
import { type RetryOptions } from './retry';
import { createGraphqlRequest, type FetchLike, type GraphqlRequest } from './transport';
import { ValidatorStore } from './validator-store';

export interface CharterClientOptions {
  /** The registry's base URL or its `/graphql` endpoint; required unless every product is offline. */
  readonly url?: string;
  /** API key or JWT. */
  readonly token?: string;
  readonly fetch?: FetchLike;
  /** Further attempts on network errors, 5xx, UNAVAILABLE and RATE_LIMITED. Default 3. */
  readonly retries?: number;
  readonly retry?: Partial<Omit<RetryOptions, 'retries'>>;
  readonly timeoutMs?: number;
  /** How long `latest` is trusted before revalidation. Default 30 s. */
  readonly cacheTtlMs?: number;
  /** How long past the TTL a known `latest` is served while the registry is unreachable. Default 5 min. */
  readonly staleIfErrorMs?: number;
  /** Products answered from local contract files (`{ 'payments.orders': './orders.contract.json' }`). */
  readonly offline?: { readonly contracts: Readonly<Record<string, string>> };
  readonly clock?: () => number;
}

export interface CharterClient {
  /** A compiled validator for a version number or `latest`. */
  validator(product: string, version?: number | 'latest'): Promise<ContractValidator>;
  contractVersion(product: string, version?: number | 'latest'): Promise<RegistryContractVersion>;
  /** Dry run of publish: the registry's verdict, nothing stored. */
  checkContract(product: string, contractText: string): Promise<CheckContractResult>;
  publishContract(product: string, contractText: string): Promise<PublishContractResult>;
  /** Fetches the principal's field plan once (audited by the registry) and applies it locally. */
  reader(product: string, version?: number | 'latest', options?: ReaderOptions): Promise<PayloadReader>;
}

function checkedProduct(product: string): string {
  if (parseProductRef(product) === null)
    throw new CharterClientError('INVALID_INPUT', 'a product is named domain.product');
  return product;
}

function checkedVersion(version: number | 'latest'): number | 'latest' {
  if (version === 'latest' || (Number.isSafeInteger(version) && version > 0)) return version;
  throw new CharterClientError('INVALID_INPUT', 'a version is a positive integer or latest');
}

function onlineRequest(options: CharterClientOptions): GraphqlRequest {
  if (options.url === undefined || options.token === undefined) {
    return () =>
      Promise.reject(new CharterClientError('CONFIG_INVALID', 'this client has no registry URL and token'));
  }
  return createGraphqlRequest({
    url: options.url,
    token: options.token,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    retry: { ...options.retry, ...(options.retries !== undefined ? { retries: options.retries } : {}) },
  });
}

/** Offline products are compiled once, on first use, from the configured files only. */
function offlineLookup(options: CharterClientOptions): (product: string) => ContractValidator | undefined {
  const contracts = options.offline?.contracts ?? {};
  const built = new Map<string, ContractValidator>();
  return (product) => {
    if (!Object.hasOwn(contracts, product)) return undefined;
    let validator = built.get(product);
    if (!validator) {
      validator = offlineValidator(
        contracts[product] as string,
        options.clock ? { clock: options.clock } : {},
      );
      built.set(product, validator);
    }
    return validator;
  };
}

/**
 * The registry client producers embed: validators fetched over GraphQL and cached (numbered versions
 * forever, `latest` revalidated after a TTL), transient failures retried with jittered backoff, and
 * products pinned to local files for offline use.
 */
export function createCharterClient(options: CharterClientOptions): CharterClient {
  const request = onlineRequest(options);
  const offline = offlineLookup(options);
  const store = new ValidatorStore(request, {
    ttlMs: options.cacheTtlMs ?? 30_000,
    staleIfErrorMs: options.staleIfErrorMs ?? 300_000,
    clock: options.clock ?? Date.now,
  });
  return {
    async validator(product, version = 'latest') {
      checkedVersion(version);
      const local = offline(checkedProduct(product));
      if (local) return local;
      return version === 'latest' ? store.latest(product) : store.pinned(product, version);
    },
    async contractVersion(product, version = 'latest') {
      const variables = { product: checkedProduct(product), version: String(checkedVersion(version)) };
      return (await request<{ contractVersion: RegistryContractVersion }>(CONTRACT_VERSION, variables))
        .contractVersion;
    },
    async checkContract(product, contract) {
      const variables = { product: checkedProduct(product), contract };
      return (await request<{ checkContract: CheckContractResult }>(CHECK_CONTRACT, variables)).checkContract;
    },
    async publishContract(product, contract) {
      const variables = { product: checkedProduct(product), contract };
      return (await request<{ publishContractVersion: PublishContractResult }>(PUBLISH_CONTRACT, variables))
        .publishContractVersion;
    },
    async reader(product, version = 'latest', readerOptions = {}) {
      return await createPayloadReader(
        request,
        checkedProduct(product),
        checkedVersion(version),
        readerOptions,
      );
    },
  };
}
