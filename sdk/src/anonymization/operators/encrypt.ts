import { canonicalJson } from '../../canonical/canonical-json';
import { openAesGcm, sealAesGcm } from '../../keys/envelope';
import { AnonymizationError } from '../errors';
import { type ApplyOperator } from './drop';
import { fieldAad } from './field-keys';

const CIPHERTEXT = /^enc([1-9][0-9]{0,14}):([A-Za-z0-9_-]+)$/;

/**
 * AES-256-GCM of the value's canonical JSON under the product's data key, random IV, AAD binding
 * product, field and data-key version; output `enc<dataKeyVersion>:<base64url>`. null stays null.
 * A value that already authenticates as this field's ciphertext under this key is returned as is,
 * so applying a policy twice equals applying it once (P-16); a look-alike that does not
 * authenticate is encrypted like any other value.
 */
export function compileEncrypt(
  dataKey: Uint8Array,
  product: string,
  path: string,
  dataKeyVersion: number,
): ApplyOperator {
  const aad = fieldAad(product, path, dataKeyVersion);
  const prefix = `enc${dataKeyVersion}:`;
  const isOwnOutput = (text: string): boolean => {
    if (!text.startsWith(prefix)) return false;
    const match = CIPHERTEXT.exec(text);
    return (
      match?.[2] !== undefined && openAesGcm(dataKey, Buffer.from(match[2], 'base64url'), aad) !== undefined
    );
  };
  return (value) => {
    if (value === null) return null;
    if (typeof value === 'string' && isOwnOutput(value)) return value;
    return prefix + sealAesGcm(dataKey, Buffer.from(canonicalJson(value), 'utf8'), aad).toString('base64url');
  };
}

/** The data-key version an encrypted value names, or a coded error for anything else. */
export function parseCiphertext(value: unknown, path: string): { dataKeyVersion: number; sealed: Buffer } {
  const match = typeof value === 'string' ? CIPHERTEXT.exec(value) : null;
  if (match?.[1] === undefined || match[2] === undefined)
    throw new AnonymizationError('CIPHERTEXT_MALFORMED', 'not an encrypted field value', path);
  return { dataKeyVersion: Number(match[1]), sealed: Buffer.from(match[2], 'base64url') };
}

/** Opens an encrypted value; a flipped bit, wrong key or wrong field fails authentication. */
export function decryptFieldValue(
  dataKey: Uint8Array,
  product: string,
  path: string,
  value: string,
): unknown {
  const { dataKeyVersion, sealed } = parseCiphertext(value, path);
  const opened = openAesGcm(dataKey, sealed, fieldAad(product, path, dataKeyVersion));
  if (opened === undefined)
    throw new AnonymizationError('DECRYPTION_FAILED', 'the value does not authenticate', path);
  return JSON.parse(opened.toString('utf8')) as unknown;
}
