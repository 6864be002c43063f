/** Why a key operation failed; messages never carry key material. */
export type KeyErrorCode =
  'KEY_VERSION_UNKNOWN' | 'KEY_CONFIG_INVALID' | 'DATA_KEY_MISSING' | 'DATA_KEY_UNWRAP_FAILED';

export class KeyError extends Error {
  constructor(
    readonly code: KeyErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'KeyError';
  }
}

/** A per-product data key (DEK) as the database may hold it: wrapped by a master key. */
export interface WrappedDataKey {
  readonly product: string;
  /** Version of the data key itself; encrypted values carry it. */
  readonly dataKeyVersion: number;
  /** Version of the master key that wrapped it; rotation keeps old versions for unwrapping. */
  readonly masterKeyVersion: number;
  /** base64url of iv(12) ‖ ciphertext(32) ‖ tag(16), AES-256-GCM. */
  readonly wrapped: string;
}

export interface DataKeyBinding {
  readonly product: string;
  readonly dataKeyVersion: number;
}

/**
 * Where master keys come from. Small on purpose so a KMS can stand behind it; every method is
 * asynchronous because a KMS call is. Master keys live outside the database.
 */
export interface KeyProvider {
  /** The version new pseudonyms, FPE keys and wrapped data keys use. */
  currentVersion(): Promise<number>;
  /** 32 bytes of master key material; throws KEY_VERSION_UNKNOWN for a retired or unknown version. */
  getMasterKey(version: number): Promise<Uint8Array>;
  /** Wraps a data key with the current master key; AAD binds product and data-key version. */
  wrapDataKey(dataKey: Uint8Array, binding: DataKeyBinding): Promise<WrappedDataKey>;
  /** Unwraps with the master key version recorded in the wrapped key. */
  unwrapDataKey(wrapped: WrappedDataKey): Promise<Uint8Array>;
}
