import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A `chk_test_` key never opens a `live` deployment, and the prefix tells a leak scanner which it is. */
export const API_KEY_ENVIRONMENTS = ['live', 'test'] as const;
export type ApiKeyEnvironment = (typeof API_KEY_ENVIRONMENTS)[number];

const KEY_ID_BYTES = 8;
const SECRET_BYTES = 32;
const API_KEY = /^chk_([a-z]{1,16})_([a-z0-9]{16})_([A-Za-z0-9_-]{43})$/;

export interface ParsedApiKey {
  environment: ApiKeyEnvironment;
  /** Public, stored in clear: finds the row without scanning hashes. */
  keyId: string;
}

export interface NewApiKey extends ParsedApiKey {
  /** The full key, shown once; only its hash is kept. */
  secret: string;
  hash: Buffer;
}

/** Null when the text is not a key of any known environment. */
export function parseApiKey(text: string): ParsedApiKey | null {
  const match = API_KEY.exec(text);
  if (!match) return null;
  const environment = match[1] as ApiKeyEnvironment;
  if (!API_KEY_ENVIRONMENTS.includes(environment)) return null;
  return { environment, keyId: match[2] as string };
}

export function looksLikeApiKey(text: string): boolean {
  return text.startsWith('chk_');
}

/**
 * SHA-256 of the whole key. A fast hash is enough: the secret is 256 random bits, so there is no
 * dictionary to try, and a slow hash would only make every request cost tens of milliseconds.
 */
export function hashApiKey(key: string): Buffer {
  // One-shot hash: no Hash object per request (about half the cost of createHash here).
  return hash('sha256', key, 'buffer');
}

export function apiKeyMatches(key: string, storedHash: Buffer): boolean {
  const hash = hashApiKey(key);
  return storedHash.length === hash.length && timingSafeEqual(hash, storedHash);
}

export function generateApiKey(environment: ApiKeyEnvironment): NewApiKey {
  const keyId = randomBytes(KEY_ID_BYTES).toString('hex');
  const secret = `chk_${environment}_${keyId}_${randomBytes(SECRET_BYTES).toString('base64url')}`;
  return { environment, keyId, secret, hash: hashApiKey(secret) };
}
