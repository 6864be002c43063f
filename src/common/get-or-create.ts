/** A Map or WeakMap: whatever keeps values by key. */
interface KeyedStore<K, V> {
  get(key: K): V | undefined;
  set(key: K, value: V): unknown;
}

/** The value kept under `key`, made by `create` and kept on first use. */
export function getOrCreate<K, V>(store: KeyedStore<K, V>, key: K, create: (key: K) => V): V {
  let value = store.get(key);
  if (value === undefined) {
    value = create(key);
    store.set(key, value);
  }
  return value;
}

/** An empty Map, for getOrCreate on hot paths (one function, no closure made per call). */
export function newMap<K, V>(): Map<K, V> {
  return new Map<K, V>();
}
