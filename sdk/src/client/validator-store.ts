import { type ContractValidator } from '../validation';
import { CharterClientError } from './errors';
import { compiled } from './offline';
import { CONTRACT_VERSION, CONTRACT_VERSION_HEAD, type RegistryContractVersion } from './operations';
import { type GraphqlRequest } from './transport';

export interface StoreOptions {
  /** How long `latest` is trusted before it is revalidated. */
  readonly ttlMs: number;
  /** How long past the TTL a known `latest` is still served while the registry cannot answer. */
  readonly staleIfErrorMs: number;
  readonly clock: () => number;
}

interface LatestEntry {
  validator: ContractValidator;
  version: number;
  contentHash: string;
  checkedAt: number;
  refreshing?: Promise<ContractValidator>;
}

/**
 * Validators by product and version. Numbered versions are immutable, so they are cached for the
 * client's lifetime; `latest` is a pointer that moves, so it is revalidated after `ttlMs` with a
 * document-free query and only refetched when the registry names another version or content.
 */
export class ValidatorStore {
  readonly #pinned = new Map<string, Promise<ContractValidator>>();
  readonly #latest = new Map<string, LatestEntry>();
  readonly #firstLoads = new Map<string, Promise<ContractValidator>>();

  constructor(
    private readonly request: GraphqlRequest,
    private readonly options: StoreOptions,
  ) {}

  pinned(product: string, version: number): Promise<ContractValidator> {
    const key = `${product}@${version}`;
    let loading = this.#pinned.get(key);
    if (!loading) {
      loading = this.fetch(product, String(version)).then((found) => found.validator);
      // A failure is not cached: the next call asks again.
      loading.catch(() => this.#pinned.delete(key));
      this.#pinned.set(key, loading);
    }
    return loading;
  }

  latest(product: string): Promise<ContractValidator> {
    const entry = this.#latest.get(product);
    if (!entry) return this.firstLoad(product);
    if (this.options.clock() - entry.checkedAt < this.options.ttlMs) return Promise.resolve(entry.validator);
    entry.refreshing ??= this.revalidate(product, entry).finally(() => {
      entry.refreshing = undefined;
    });
    return entry.refreshing;
  }

  private firstLoad(product: string): Promise<ContractValidator> {
    let loading = this.#firstLoads.get(product);
    if (!loading) {
      loading = this.fetch(product, 'latest')
        .then((found) => {
          this.remember(product, found.version, found.validator);
          return found.validator;
        })
        .finally(() => this.#firstLoads.delete(product));
      this.#firstLoads.set(product, loading);
    }
    return loading;
  }

  private async revalidate(product: string, entry: LatestEntry): Promise<ContractValidator> {
    let head: RegistryContractVersion;
    try {
      head = (
        await this.request<{ contractVersion: RegistryContractVersion }>(CONTRACT_VERSION_HEAD, {
          product,
          version: 'latest',
        })
      ).contractVersion;
    } catch (error) {
      const age = this.options.clock() - entry.checkedAt;
      const transient = error instanceof CharterClientError && error.retryable;
      if (transient && age < this.options.ttlMs + this.options.staleIfErrorMs) return entry.validator;
      throw error;
    }
    if (head.version === entry.version && head.contentHash === entry.contentHash) {
      entry.checkedAt = this.options.clock();
      return entry.validator;
    }
    const validator = await this.pinned(product, head.version);
    this.remember(product, head, validator);
    return validator;
  }

  private remember(product: string, version: RegistryContractVersion, validator: ContractValidator): void {
    this.#latest.set(product, {
      validator,
      version: version.version,
      contentHash: version.contentHash,
      checkedAt: this.options.clock(),
    });
  }

  private async fetch(
    product: string,
    version: string,
  ): Promise<{ version: RegistryContractVersion; validator: ContractValidator }> {
    const { contractVersion } = await this.request<{ contractVersion: RegistryContractVersion }>(
      CONTRACT_VERSION,
      { product, version },
    );
    if (
      contractVersion.product !== product ||
      (version !== 'latest' && String(contractVersion.version) !== version)
    )
      throw new CharterClientError('CHARTER_PROTOCOL', 'the registry answered for another contract version');
    const validator = compiled(contractVersion.document, { id: product, version: contractVersion.version });
    if (version === 'latest') {
      // The numbered version it names is immutable: keep it for pinned callers too.
      const key = `${product}@${contractVersion.version}`;
      if (!this.#pinned.has(key)) this.#pinned.set(key, Promise.resolve(validator));
    }
    return { version: contractVersion, validator };
  }
}
