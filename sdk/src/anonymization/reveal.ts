import { dataKeyOfVersion } from '../keys/data-keys';
import { KeyError, type KeyProvider, type WrappedDataKey } from '../keys/key-provider';
import { AnonymizationError } from './errors';
import { decryptFieldValue, parseCiphertext } from './operators/encrypt';
import { deriveFieldKey, keyScope } from './operators/field-keys';
import { createFpeCipher } from './operators/fpe';
import { type Treatment } from './policy-types';

export interface RevealKeys {
  readonly keyProvider: KeyProvider;
  readonly product: string;
  readonly dataKeys?: readonly WrappedDataKey[];
  /** Master key version an FPE value was made with (FPE output has no room for it); default: current. */
  readonly fpeKeyVersion?: number;
}

/**
 * The privileged path: turns an `encrypt` or `fpe` output back into the original value. The caller
 * (the service) checks the privilege and writes the audit record; this only does the cryptography.
 */
export async function revealValue(
  value: unknown,
  field: { path: string; treatment: Treatment },
  keys: RevealKeys,
): Promise<unknown> {
  if (value === null) return null;
  const { path, treatment } = field;
  try {
    if (treatment.operator === 'encrypt') {
      const { dataKeyVersion } = parseCiphertext(value, path);
      const wrapped = dataKeyOfVersion(keys.dataKeys ?? [], keys.product, dataKeyVersion);
      const dataKey = await keys.keyProvider.unwrapDataKey(wrapped);
      return decryptFieldValue(dataKey, keys.product, path, value as string);
    }
    if (treatment.operator === 'fpe') {
      if (typeof value !== 'string')
        throw new AnonymizationError('OPERATOR_TYPE_MISMATCH', 'fpe values are strings', path);
      const version = keys.fpeKeyVersion ?? (await keys.keyProvider.currentVersion());
      const master = await keys.keyProvider.getMasterKey(version);
      const key = deriveFieldKey(master, keyScope('fpe', keys.product, path, treatment.context));
      return createFpeCipher(key, treatment.alphabet, treatment.context ?? path, path).decrypt(value);
    }
  } catch (error) {
    if (error instanceof KeyError)
      throw new AnonymizationError('KEY_UNAVAILABLE', `key unavailable: ${error.code}`, path);
    throw error;
  }
  throw new AnonymizationError('OPERATOR_INPUT_INVALID', `${treatment.operator} is not reversible`, path);
}
