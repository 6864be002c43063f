import { readFileSync } from 'node:fs';
import type {
  createLocalJWKSet as CreateLocalJwkSet,
  errors as JoseErrors,
  JSONWebKeySet,
  jwtVerify as JwtVerify,
} from 'jose' with { 'resolution-mode': 'import' };
import { type JwtConfig } from '../config/app-config';
import { type AuthFailureReason } from './audit-recorder';

// jose 6 is ESM-only; Node >= 20.19 loads it through require(esm).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createLocalJWKSet, errors, jwtVerify } = require('jose') as {
  createLocalJWKSet: typeof CreateLocalJwkSet;
  errors: typeof JoseErrors;
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
    } catch (error) {
      return { ok: false, reason: failureOf(error) };
    }
  }
}

function failureOf(error: unknown): AuthFailureReason {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return 'wrong-audience';
    if (error.claim === 'iss') return 'wrong-issuer';
    if (error.claim === 'nbf' || error.claim === 'iat') return 'not-yet-valid';
    return 'malformed';
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported)
    return 'algorithm-not-allowed';
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey)
    return 'bad-signature';
  return 'malformed';
}
