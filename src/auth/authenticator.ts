import { Inject, Injectable } from '@nestjs/common';
import { type AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { requestContextOf } from '../common/request-context';
import { buildAbility } from './ability';
import { type Actor, type CredentialKind } from './actor';
import { apiKeyMatches, looksLikeApiKey, parseApiKey } from './api-key';
import { AUDIT_RECORDER, type AuditRecorder, type AuthFailureReason } from './audit-recorder';
import { CredentialsCache } from './credentials-cache';
import { CredentialsRepository, type StoredApiKey } from './credentials.repository';
import { JwtVerifier, looksLikeJwt } from './jwt-verifier';

export type AuthOutcome =
  | { ok: true; actor: Actor }
  | { ok: false; reason: AuthFailureReason; credential: CredentialKind | 'none'; keyId?: string };

interface RequestLike {
  headers: Record<string, string | string[] | undefined>;
  /** The connection it came on (a Fastify request's `raw`); absent for a WebSocket's connection_init. */
  raw?: { socket?: object | null };
}

// One authentication per HTTP request, however many resolvers it runs: kept on the request itself
// (no WeakMap entry per request), a known outcome unwrapped.
const OUTCOME = Symbol('charter.authentication');
type WithOutcome = { [OUTCOME]?: AuthOutcome | Promise<AuthOutcome> };

/** The last Authorization header a connection presented that passed every check of knownKey. */
interface VerifiedHeader {
  header: string;
  keyId: string;
  /** The cached row it was checked against: any other row (the cache was refilled) means check again. */
  key: StoredApiKey;
}

/**
 * Same characters, compared in constant time (a proxy may carry several callers on one
 * connection): every character is looked at, whatever differs. On strings, as copying the header
 * into a Buffer for timingSafeEqual on every request cost more than the comparison.
 */
function sameHeader(header: string, verified: VerifiedHeader): boolean {
  const expected = verified.header;
  if (header.length !== expected.length) return false;
  let difference = 0;
  for (let i = 0; i < header.length; i += 1) difference |= header.charCodeAt(i) ^ expected.charCodeAt(i);
  return difference === 0;
}

/**
 * `Bearer <token>`, or HTTP Basic whose password is the token: Kafka clients (Confluent
 * `basic.auth.user.info`, kafkajs `auth`) can only send Basic. The user name is ignored.
 */
export function tokenOf(header: string): string | undefined {
  const bearer = /^Bearer ([^\s]+)$/i.exec(header)?.[1];
  if (bearer !== undefined) return bearer;
  const basic = /^Basic ([A-Za-z0-9+/]+={0,2})$/i.exec(header)?.[1];
  if (basic === undefined) return undefined;
  const decoded = Buffer.from(basic, 'base64').toString('utf8');
  const password = decoded.slice(decoded.indexOf(':') + 1);
  return decoded.includes(':') && password !== '' ? password : undefined;
}

/** Turns the Authorization header into an Actor; every failure goes through the audit seam. */
@Injectable()
export class Authenticator {
  private readonly jwt: JwtVerifier | null;
  // Keyed by the socket: a keep-alive connection sends the same header on every request.
  private readonly verified = new WeakMap<object, VerifiedHeader>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly credentials: CredentialsRepository,
    private readonly cache: CredentialsCache,
    @Inject(AUDIT_RECORDER) private readonly audit: AuditRecorder,
  ) {
    this.jwt = config.jwt ? new JwtVerifier(config.jwt) : null;
  }

  authenticateRequest(request: RequestLike): Promise<AuthOutcome> {
    const outcome = this.knownOutcome(request) ?? (request as WithOutcome)[OUTCOME];
    if (outcome instanceof Promise) return outcome;
    if (outcome) return Promise.resolve(outcome);
    const pending = this.authenticate(request.headers.authorization).then(async (result) => {
      if (!result.ok) await this.recordFailure(request, result);
      return result;
    });
    (request as WithOutcome)[OUTCOME] = pending;
    return pending;
  }

  /**
   * The request's outcome when it is known without waiting (a cached API key, see knownKey), else
   * undefined: then authenticateRequest decides. The hot read paths ask this first (no promise).
   */
  knownOutcome(request: RequestLike): AuthOutcome | undefined {
    const stored = (request as WithOutcome)[OUTCOME];
    if (stored !== undefined) return stored instanceof Promise ? undefined : stored;
    const known = this.knownKey(request);
    if (known) (request as WithOutcome)[OUTCOME] = known;
    return known;
  }

  /**
   * The common case without a query or a promise chain: an API key whose row and actor are
   * cached, with every check withApiKey makes (secret hash compared in constant time, revoked,
   * expired). Anything else, failures included, takes the full path, which audits failures.
   * A connection repeating the header that last passed here skips parsing and hashing (the same
   * bytes give the same key and the same hash), not the checks on the cached row.
   */
  private knownKey(request: RequestLike): AuthOutcome | undefined {
    const header = request.headers.authorization;
    if (typeof header !== 'string') return undefined;
    const connection = request.raw?.socket ?? undefined;
    const verified = connection && this.verified.get(connection);
    if (verified && sameHeader(header, verified)) return this.cachedKey(verified.keyId, verified.key);
    const token = tokenOf(header);
    if (token === undefined || !looksLikeApiKey(token)) return undefined;
    const parsed = parseApiKey(token);
    if (!parsed || parsed.environment !== this.config.environment) return undefined;
    const cached = this.cache.lookup(parsed.keyId);
    if (!cached || cached.key.environment !== parsed.environment) return undefined;
    if (!apiKeyMatches(token, cached.key.secretSha256)) return undefined;
    const outcome = this.cachedKey(parsed.keyId, cached.key, cached);
    if (outcome && connection) {
      this.verified.set(connection, {
        header,
        keyId: parsed.keyId,
        key: cached.key,
      });
    }
    return outcome;
  }

  /**
   * The checks on a cached row whose secret matched: still that row (the cache's entry now, unless
   * the caller has just looked it up), not revoked or expired, touched.
   */
  private cachedKey(
    keyId: string,
    key: StoredApiKey,
    cached = this.cache.lookup(keyId),
  ): AuthOutcome | undefined {
    if (cached?.key !== key || key.revoked || key.expired) return undefined;
    const now = Date.now();
    if ((key.expiresAtMs !== null && key.expiresAtMs <= now) || this.cache.touchDue(keyId, now))
      return undefined;
    return { ok: true, actor: cached.actor };
  }

  private async authenticate(header: string | string[] | undefined): Promise<AuthOutcome> {
    if (header === undefined || header === '') return { ok: false, reason: 'missing', credential: 'none' };
    const token = typeof header === 'string' ? tokenOf(header) : undefined;
    if (token === undefined) return { ok: false, reason: 'malformed', credential: 'none' };
    if (looksLikeApiKey(token)) return this.withApiKey(token);
    if (looksLikeJwt(token)) return this.withJwt(token);
    return { ok: false, reason: 'malformed', credential: 'none' };
  }

  private async withApiKey(token: string): Promise<AuthOutcome> {
    const fail = (reason: AuthFailureReason, keyId?: string): AuthOutcome => ({
      ok: false,
      reason,
      credential: 'api-key',
      ...(keyId !== undefined && { keyId }),
    });
    const parsed = parseApiKey(token);
    if (!parsed) return fail('malformed');
    if (parsed.environment !== this.config.environment) return fail('wrong-environment', parsed.keyId);
    const generation = this.cache.generation;
    const cached = this.cache.lookup(parsed.keyId);
    const stored = cached?.key ?? (await this.credentials.findApiKey(parsed.keyId));
    if (!stored || stored.environment !== parsed.environment) return fail('unknown-key', parsed.keyId);
    if (!apiKeyMatches(token, stored.secretSha256)) return fail('wrong-secret', parsed.keyId);
    if (stored.revoked) return fail('revoked', parsed.keyId);
    if (stored.expired || (stored.expiresAtMs !== null && stored.expiresAtMs <= Date.now())) {
      return fail('expired', parsed.keyId);
    }
    if (this.cache.shouldTouch(parsed.keyId)) await this.credentials.touchApiKey(parsed.keyId);
    if (cached) return { ok: true, actor: cached.actor };
    const outcome = await this.actorFor(stored.principalId, { kind: 'api-key', keyId: parsed.keyId });
    if (outcome.ok) this.cache.remember(parsed.keyId, generation, stored, outcome.actor);
    return outcome;
  }

  private async withJwt(token: string): Promise<AuthOutcome> {
    if (!this.jwt) return { ok: false, reason: 'jwt-not-configured', credential: 'jwt' };
    const verified = await this.jwt.verify(token);
    if (!verified.ok) return { ok: false, reason: verified.reason, credential: 'jwt' };
    const principalId = await this.credentials.findPrincipalIdBySubject(verified.subject);
    if (principalId === null) return { ok: false, reason: 'unknown-subject', credential: 'jwt' };
    return this.actorFor(principalId, { kind: 'jwt' });
  }

  private async actorFor(principalId: string, credential: Actor['credential']): Promise<AuthOutcome> {
    const principal = await this.credentials.loadPrincipal(principalId);
    if (!principal) return { ok: false, reason: 'unknown-key', credential: credential.kind };
    const ability = buildAbility({ id: principal.id, bindings: principal.bindings });
    return {
      ok: true,
      actor: {
        principalId: principal.id,
        name: principal.name,
        kind: principal.kind,
        bindings: principal.bindings,
        ability,
        credential,
      },
    };
  }

  private recordFailure(request: RequestLike, failure: Extract<AuthOutcome, { ok: false }>): Promise<void> {
    return this.audit.record(
      {
        type: 'authentication.failed',
        reason: failure.reason,
        credential: failure.credential,
        ...(failure.keyId !== undefined && { keyId: failure.keyId }),
      },
      { actor: null, request: requestContextOf(request) },
    );
  }
}
