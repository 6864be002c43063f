import { createHmac } from 'node:crypto';
import { canonicalJson } from '../../canonical/canonical-json';
import { type ApplyOperator } from './drop';

/**
 * Keyed HMAC-SHA-256 over the value's canonical JSON (so 42 and "42" differ), truncated to
 * `bytes` (≥ 16), as `ps<keyVersion>:<base64url>`. null stays null.
 */
export function compilePseudonymize(fieldKey: Uint8Array, keyVersion: number, bytes: number): ApplyOperator {
  const prefix = `ps${keyVersion}:`;
  return (value) => {
    if (value === null) return null;
    const text = typeof value === 'string' ? JSON.stringify(value) : canonicalJson(value);
    const mac = createHmac('sha256', fieldKey).update(text, 'utf8').digest();
    return prefix + mac.subarray(0, bytes).toString('base64url');
  };
}
