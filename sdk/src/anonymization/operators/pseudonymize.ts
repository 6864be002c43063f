import { createHmac, createSecretKey } from 'node:crypto';
import { canonicalJson } from '../../canonical/canonical-json';
import { type ApplyOperator } from './drop';

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * Keyed HMAC-SHA-256 over the value's canonical JSON (so 42 and "42" differ), truncated to
 * `bytes` (≥ 16), as `ps<keyVersion>:<base64url>`. null stays null. A string that already has
 * this operator's shape (same prefix, same length, base64url body) is returned unchanged, so
 * applying a policy twice equals applying it once (P-16); `repseudonymize` turns that off.
 */
export function compilePseudonymize(
  fieldKey: Uint8Array,
  keyVersion: number,
  bytes: number,
  repseudonymize = false,
): ApplyOperator {
  // A prepared KeyObject: node skips copying and checking the raw key on every createHmac.
  const key = createSecretKey(fieldKey);
  const prefix = `ps${keyVersion}:`;
  const outputLength = prefix.length + Math.ceil((bytes * 8) / 6);
  const isOwnOutput = (text: string): boolean =>
    text.length === outputLength && text.startsWith(prefix) && BASE64URL.test(text.slice(prefix.length));
  const full = bytes === 32;
  return (value) => {
    if (value === null) return null;
    if (typeof value === 'string' && !repseudonymize && isOwnOutput(value)) return value;
    const text = typeof value === 'string' ? JSON.stringify(value) : canonicalJson(value);
    const mac = createHmac('sha256', key).update(text, 'utf8');
    // The full digest is encoded natively; a truncated one needs the bytes first.
    return prefix + (full ? mac.digest('base64url') : mac.digest().subarray(0, bytes).toString('base64url'));
  };
}
