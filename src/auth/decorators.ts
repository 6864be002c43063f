import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { type Action, type SubjectName } from './ability';
import { type Actor } from './actor';
import { requestOf } from './execution-request';
import { actorOf } from './request-actor';

export const ACCESS_KEY = 'charter:access';
export const RATE_LIMIT_KEY = 'charter:rate-limit';

export type AccessDeclaration = { public: true } | { public: false; action: Action; subject: SubjectName };

/**
 * What a resolver or route needs: checked by the guard at type level ("may this caller ever
 * do this?"); the service then checks the loaded instance. Without it the guard denies.
 */
export const Requires = (action: Action, subject: SubjectName) =>
  SetMetadata<string, AccessDeclaration>(ACCESS_KEY, { public: false, action, subject });

/** Open to anonymous callers. Only the health probes use it. */
export const Public = () => SetMetadata<string, AccessDeclaration>(ACCESS_KEY, { public: true });

export const RATE_LIMITED_OPERATIONS = ['publish', 'check', 'validate'] as const;
export type RateLimitedOperation = (typeof RATE_LIMITED_OPERATIONS)[number];

/** Spends one token of the caller's bucket for this operation, or answers RATE_LIMITED. */
export const RateLimit = (operation: RateLimitedOperation) =>
  SetMetadata<string, RateLimitedOperation>(RATE_LIMIT_KEY, operation);

/** The authenticated caller; the guard has put it there, so it is always present. */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const actor = actorOf(requestOf(context));
  if (!actor) throw new Error('CurrentActor used on a handler the guard did not authenticate');
  return actor;
});
