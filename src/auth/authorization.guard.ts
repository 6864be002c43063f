import { type CanActivate, type ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, RateLimitedError } from '../common/errors/error-codes';
import { currentRequestContext } from '../common/request-context';
import { type AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { forbidden } from './access';
import { type Actor, actorRef } from './actor';
import { AUDIT_RECORDER, type AuditRecorder } from './audit-recorder';
import { Authenticator } from './authenticator';
import { ACCESS_KEY, type AccessDeclaration, RATE_LIMIT_KEY, type RateLimitedOperation } from './decorators';
import { requestOf } from './execution-request';
import { TokenBuckets } from './rate-limiter';
import { attachActor } from './request-actor';

export const UNAUTHENTICATED_MESSAGE = 'missing or invalid credentials';

/**
 * Global and deny-by-default: a handler runs only if it declares @Public() or @Requires(...),
 * the caller authenticates, and its roles allow the action on that kind of resource at all.
 * Which instance is a matter for the service after loading it.
 */
@Injectable()
export class AuthorizationGuard implements CanActivate {
  private readonly logger = new Logger('AuthorizationGuard');
  private readonly buckets: TokenBuckets;

  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
    @Inject(AUDIT_RECORDER) private readonly audit: AuditRecorder,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.buckets = new TokenBuckets(config.rateLimit);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const declared = this.reflector.getAllAndOverride<AccessDeclaration | undefined>(ACCESS_KEY, targets);
    if (!declared) {
      this.logger.error(`${context.getClass().name}.${context.getHandler().name} declares no access: denied`);
      throw new DomainError('FORBIDDEN', 'this operation declares no access rule');
    }
    if (declared.public) return true;
    const request = requestOf(context);
    const outcome = await this.authenticator.authenticateRequest(request);
    if (!outcome.ok) throw new DomainError('UNAUTHENTICATED', UNAUTHENTICATED_MESSAGE);
    const { actor } = outcome;
    if (!actor.ability.can(declared.action, declared.subject)) {
      await this.recordDenial(actor, declared);
      throw forbidden(declared.action, declared.subject);
    }
    attachActor(request, actor);
    const operation = this.reflector.getAllAndOverride<RateLimitedOperation | undefined>(
      RATE_LIMIT_KEY,
      targets,
    );
    if (operation) this.spend(actor, operation);
    return true;
  }

  private spend(actor: Actor, operation: RateLimitedOperation): void {
    const taken = this.buckets.take(`${actor.principalId}:${operation}`);
    if (!taken.ok) throw new RateLimitedError(taken.retryAfterSeconds);
  }

  private recordDenial(actor: Actor, declared: Extract<AccessDeclaration, { public: false }>): Promise<void> {
    const context = currentRequestContext();
    return this.audit.record(
      { type: 'access.denied', action: declared.action, subject: declared.subject, answeredAs: 'FORBIDDEN' },
      { actor: actorRef(actor), requestId: context?.requestId, client: context?.client },
    );
  }
}
