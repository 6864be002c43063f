import { type CompiledContract } from './contract';

/** Compiled contracts by key, least recently used evicted first. */
export class ValidatorCache {
  readonly #entries = new Map<string, CompiledContract>();

  constructor(readonly capacity = 256) {}

  get size(): number {
    return this.#entries.size;
  }

  get(key: string): CompiledContract | undefined {
    const entry = this.#entries.get(key);
    if (entry) {
      this.#entries.delete(key);
      this.#entries.set(key, entry);
    }
    return entry;
  }

  set(key: string, contract: CompiledContract): void {
    this.#entries.delete(key);
    this.#entries.set(key, contract);
    if (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
  }

  clear(): void {
    this.#entries.clear();
  }
}

/** Shared by every createValidator call that does not pass its own cache. */
export const defaultValidatorCache = new ValidatorCache();
