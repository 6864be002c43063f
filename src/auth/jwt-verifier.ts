import { readFileSync } from 'node:fs';
import type {
  createLocalJWKSet as CreateLocalJwkSet,
  JSONWebKeySet,
  jwtVerify as JwtVerify,
} from 'jose' with { 'resolution-mode': 'import' };
import { type JwtConfig } from '../config/app-config';
import { type AuthFailureReason } from './audit-recorder';

// jose 6 is ESM-only; Node >= 20.19 loads it through require(esm).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- ESM-only package loaded through require(esm)
const { createLocalJWKSet, jwtVerify } = require('jose') as {
  createLocalJWKSet: typeof CreateLocalJwkSet;
  jwtVerify: typeof JwtVerify;
};

export type JwtOutcome = { ok: true; subject: string } | { ok: false; reason: AuthFailureReason };

const MAX_TOKEN_LENGTH = 8192;

export class JwtConfigError extends Error {}

/** Reads the key set once at start: from a file on disk or the configured JSON, never from a URL. */
export function loadJwks(config: JwtConfig): JSONWebKeySet {
  let text: string;
  try {
    text = config.jwksFile !== null ? readFileSync(config.jwksFile, 'utf8') : (config.jwksJson ?? '');
  } catch {
    throw new JwtConfigError('the JWKS file cannot be read');
  }
  let jwks: unknown;
  try {
    jwks = JSON.parse(text);
  } catch {
    throw new JwtConfigError('the JWKS is not JSON');
  }
  const keys = (jwks as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0) throw new JwtConfigError('the JWKS has no keys');
  for (const key of keys as { kty?: unknown; d?: unknown }[]) {
    // A symmetric or private key here would be a configuration leak or an algorithm-confusion door.
    if (key.kty === 'oct') throw new JwtConfigError('the JWKS must hold public keys only (no oct keys)');
    if (key.d !== undefined) throw new JwtConfigError('the JWKS must hold public keys only');
  }
  return jwks as JSONWebKeySet;
}

export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/.test(token);
}

export class JwtVerifier {
  private readonly keys: ReturnType<typeof createLocalJWKSet>;

  constructor(private readonly config: JwtConfig) {
    this.keys = createLocalJWKSet(loadJwks(config));
  }

  async verify(token: string): Promise<JwtOutcome> {
    if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'malformed' };
    try {
      const { payload } = await jwtVerify(token, this.keys, {
        issuer: this.config.issuer,
        audience: this.config.audience,
        algorithms: this.config.algorithms,
        clockTolerance: this.config.clockSkewSeconds,
        requiredClaims: ['exp', 'sub'],
      });
      return typeof payload.sub === 'string' && payload.sub !== ''
        ? { ok: true, subject: payload.sub }
        : { ok: false, reason: 'malformed' };
    } catch {
      return { ok: false, reason: refusalReason(token, this.config, Math.floor(Date.now() / 1000)) };
    }
  }
}

function decodeSegment(segment: string | undefined): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment ?? '', 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * Why jose refused a token, for the audit record only: read from the token itself after the
 * refusal, so the reason never depends on error classes and can never let a token in.
 */
export function refusalReason(token: string, config: JwtConfig, nowSeconds: number): AuthFailureReason {
  const [headerPart, claimsPart] = token.split('.');
  const header = decodeSegment(headerPart);
  const claims = decodeSegment(claimsPart);
  if (!header || !claims) return 'malformed';
  if (typeof header.alg !== 'string' || !config.algorithms.includes(header.alg))
    return 'algorithm-not-allowed';
  if (claims.iss !== config.issuer) return 'wrong-issuer';
  const audiences = Array.isArray(claims.aud) ? (claims.aud as unknown[]) : [claims.aud];
  if (!audiences.includes(config.audience)) return 'wrong-audience';
  if (typeof claims.exp !== 'number' || typeof claims.sub !== 'string') return 'malformed';
  if (claims.exp <= nowSeconds - config.clockSkewSeconds) return 'expired';
  if (typeof claims.nbf === 'number' && claims.nbf > nowSeconds + config.clockSkewSeconds)
    return 'not-yet-valid';
  return 'bad-signature';
}
