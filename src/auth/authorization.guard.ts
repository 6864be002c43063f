import { type CanActivate, type ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, RateLimitedError } from '../common/errors/error-codes';
import { type AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { type Actor } from './actor';
import { admitCaller, admitKnownCaller } from './admit-caller';
import { AUDIT_RECORDER, type AuditRecorder } from './audit-recorder';
import { Authenticator } from './authenticator';
import { ACCESS_KEY, type AccessDeclaration, RATE_LIMIT_KEY, type RateLimitedOperation } from './decorators';
import { requestOf } from './execution-request';
import { TokenBuckets } from './rate-limiter';

export { UNAUTHENTICATED_MESSAGE } from './admit-caller';

interface Declaration {
  access: AccessDeclaration | undefined;
  rateLimit: RateLimitedOperation | undefined;
}

/**
 * Global and deny-by-default: a handler runs only if it declares @Public() or @Requires(...),
 * the caller authenticates, and its roles allow the action on that kind of resource at all.
 * Which instance is a matter for the service after loading it.
 */
@Injectable()
export class AuthorizationGuard implements CanActivate {
  private readonly logger = new Logger('AuthorizationGuard');
  private readonly buckets: TokenBuckets;
  // Keyed by the handler function (a resolver method or route handler): its declaration.
  private readonly declarations = new WeakMap<object, Declaration>();

  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
    @Inject(AUDIT_RECORDER) private readonly audit: AuditRecorder,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.buckets = new TokenBuckets(config.rateLimit);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const handler = context.getHandler();
    let declared = this.declarations.get(handler);
    if (!declared) {
      declared = this.declarationOf(context);
      this.declarations.set(handler, declared);
    }
    if (!declared.access) {
      this.logger.error(`${context.getClass().name}.${handler.name} declares no access: denied`);
      throw new DomainError('FORBIDDEN', 'this operation declares no access rule');
    }
    if (declared.access.public) return true;
    const { action, subject } = declared.access;
    const request = requestOf(context);
    const actor =
      admitKnownCaller(this.authenticator, request, action, subject) ??
      (await admitCaller(this.authenticator, this.audit, request, action, subject));
    if (declared.rateLimit) this.spend(actor, declared.rateLimit);
    return true;
  }

  /** Metadata is fixed once the app is built: read once per handler, not on every request. */
  private declarationOf(context: ExecutionContext): Declaration {
    const targets = [context.getHandler(), context.getClass()];
    return {
      access: this.reflector.getAllAndOverride<AccessDeclaration | undefined>(ACCESS_KEY, targets),
      rateLimit: this.reflector.getAllAndOverride<RateLimitedOperation | undefined>(RATE_LIMIT_KEY, targets),
    };
  }

  private spend(actor: Actor, operation: RateLimitedOperation): void {
    const taken = this.buckets.take(`${actor.principalId}:${operation}`);
    if (!taken.ok) throw new RateLimitedError(taken.retryAfterSeconds);
  }
}
