import { KeyError, type KeyProvider, StaticKeyProvider } from '@charter/sdk';
import { type MasterKeysConfig } from '../../config/app-config';

export const KEY_PROVIDER = Symbol('KEY_PROVIDER');

/**
 * Stands in when no master key is configured: policies without keyed operators still work, and
 * any that pseudonymize, encrypt or use FPE fail closed with KEY_UNAVAILABLE.
 */
class NoMasterKeys implements KeyProvider {
  currentVersion(): Promise<number> {
    return Promise.resolve(1);
  }
  getMasterKey(): Promise<Uint8Array> {
    return Promise.reject(new KeyError('KEY_VERSION_UNKNOWN', 'no master keys are configured'));
  }
  wrapDataKey(): Promise<never> {
    return Promise.reject(new KeyError('KEY_VERSION_UNKNOWN', 'no master keys are configured'));
  }
  unwrapDataKey(): Promise<Uint8Array> {
    return Promise.reject(new KeyError('KEY_VERSION_UNKNOWN', 'no master keys are configured'));
  }
}

/** The master keys from configuration (a list or a key file); a bad configuration stops the start. */
export function keyProviderFrom(config: MasterKeysConfig): KeyProvider {
  if (config.file !== null) return StaticKeyProvider.fromKeyFile(config.file);
  if (config.list === null) return new NoMasterKeys();
  return StaticKeyProvider.fromEnv({
    CHARTER_MASTER_KEYS: config.list,
    ...(config.current !== null && { CHARTER_MASTER_KEY_CURRENT: config.current }),
  });
}
