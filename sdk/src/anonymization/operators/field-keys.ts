import { hkdfSync } from 'node:crypto';
import { canonicalJson } from '../../canonical/canonical-json';

const KDF_SALT = Buffer.from('charter-kdf-v1', 'utf8');

/**
 * The scope a derived key belongs to: by default one product and one field, so the same value
 * gives unrelated outputs across products and fields; a named linkage context is shared on purpose.
 */
export function keyScope(
  purpose: 'pseudonymize' | 'fpe',
  product: string,
  path: string,
  context?: string,
): string {
  return canonicalJson(
    context === undefined ? [purpose, 'field', product, path] : [purpose, 'context', context],
  );
}

/** HKDF-SHA-256 of the master key for one scope: 32 bytes. */
export function deriveFieldKey(masterKey: Uint8Array, scope: string): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, KDF_SALT, Buffer.from(scope, 'utf8'), 32));
}

/** AAD of an encrypted field value: product, field path and data-key version. */
export function fieldAad(product: string, path: string, dataKeyVersion: number): Buffer {
  return Buffer.from(canonicalJson(['charter-field-v1', product, path, dataKeyVersion]), 'utf8');
}
