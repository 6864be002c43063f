import { randomBytes } from 'node:crypto';
import { KeyError, type KeyProvider, type WrappedDataKey } from './key-provider';

/** A fresh random 256-bit data key for a product, returned only in wrapped form. */
export async function createDataKey(
  provider: KeyProvider,
  product: string,
  dataKeyVersion: number,
): Promise<WrappedDataKey> {
  const dataKey = randomBytes(32);
  try {
    return await provider.wrapDataKey(dataKey, { product, dataKeyVersion });
  } finally {
    dataKey.fill(0);
  }
}

/** The product's newest data key, the one new ciphertexts use. */
export function currentDataKey(dataKeys: readonly WrappedDataKey[], product: string): WrappedDataKey {
  let newest: WrappedDataKey | undefined;
  for (const key of dataKeys)
    if (key.product === product && (newest === undefined || key.dataKeyVersion > newest.dataKeyVersion))
      newest = key;
  if (newest === undefined) throw new KeyError('DATA_KEY_MISSING', 'no data key for this product');
  return newest;
}

/** The data key of one version, for opening older ciphertexts after rotation. */
export function dataKeyOfVersion(
  dataKeys: readonly WrappedDataKey[],
  product: string,
  dataKeyVersion: number,
): WrappedDataKey {
  const key = dataKeys.find(
    (candidate) => candidate.product === product && candidate.dataKeyVersion === dataKeyVersion,
  );
  if (key === undefined)
    throw new KeyError('DATA_KEY_MISSING', `no data key version ${dataKeyVersion} for this product`);
  return key;
}
