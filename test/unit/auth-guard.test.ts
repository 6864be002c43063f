// Handlers are read off prototypes as metadata carriers, never called unbound.
/* eslint-disable @typescript-eslint/unbound-method -- handlers are read as metadata keys, never called unbound */
import { type ExecutionContext, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { RESOLVER_TYPE_METADATA } from '@nestjs/graphql/dist/graphql.constants.js';
import { buildAbility } from '../../src/auth/ability';
import { type Actor } from '../../src/auth/actor';
import { type AuditRecorder } from '../../src/auth/audit-recorder';
import { type Authenticator, type AuthOutcome } from '../../src/auth/authenticator';
import { AuthorizationGuard } from '../../src/auth/authorization.guard';
import { ACCESS_KEY, RateLimit, Requires } from '../../src/auth/decorators';
import { DomainError } from '../../src/common/errors/error-codes';
import { toPublicError } from '../../src/common/errors/to-public-error';
import { testConfig } from '../support/test-app';
import { DataProductsResolver } from '../../src/modules/data-products/data-products.resolver';
import { DomainsResolver } from '../../src/modules/domains/domains.resolver';
import { HealthController } from '../../src/health/health.controller';
import { PrincipalsResolver } from '../../src/modules/principals/principals.resolver';

const RESOLVERS = [DomainsResolver, DataProductsResolver, PrincipalsResolver];
const admin: Actor = {
  principalId: 'p-admin',
  name: 'root',
  kind: 'service',
  bindings: [{ role: 'admin', domainId: null, productId: null, clearFields: [] }],
  ability: buildAbility({
    id: 'p-admin',
    bindings: [{ role: 'admin', domainId: null, productId: null, clearFields: [] }],
  }),
  credential: { kind: 'api-key' },
};

/** Every Query and Mutation handler of a resolver class (field resolvers inherit their parent's check). */
function rootHandlers(
  resolver: new (...args: never[]) => object,
): [string, (...args: unknown[]) => unknown][] {
  const prototype = resolver.prototype as Record<string, unknown>;
  return Object.getOwnPropertyNames(prototype)
    .filter((name) => name !== 'constructor')
    .map(
      (name) =>
        [name, prototype[name] as (...args: unknown[]) => unknown] as [
          string,
          (...args: unknown[]) => unknown,
        ],
    )
    .filter(([, handler]) =>
      ['Query', 'Mutation'].includes(Reflect.getMetadata(RESOLVER_TYPE_METADATA, handler)),
    );
}

function contextFor(handler: (...args: unknown[]) => unknown, owner: object): ExecutionContext {
  const request = { headers: { authorization: 'Bearer x' } };
  return {
    getHandler: () => handler,
    getClass: () => owner,
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

/** `known`: the outcome is known without waiting (a cached API key), as knownOutcome answers it. */
function guardFor(actor: Actor | null, config = testConfig(), known = false) {
  const denials: unknown[] = [];
  const outcome: AuthOutcome = actor
    ? { ok: true, actor }
    : { ok: false, reason: 'missing', credential: 'none' };
  const authenticator = {
    knownOutcome: (): AuthOutcome | undefined => (known && outcome.ok ? outcome : undefined),
    authenticateRequest: (): Promise<AuthOutcome> => Promise.resolve(outcome),
  } as unknown as Authenticator;
  const audit: AuditRecorder = {
    record: (event) => {
      denials.push(event);
      return Promise.resolve();
    },
  };
  return { guard: new AuthorizationGuard(new Reflector(), authenticator, audit, config), denials };
}

async function codeOf(work: Promise<boolean>): Promise<string> {
  try {
    return (await work) ? 'ALLOWED' : 'DENIED';
  } catch (error) {
    return error instanceof DomainError ? error.code : 'THREW';
  }
}

const OPERATIONS = RESOLVERS.flatMap((resolver) =>
  rootHandlers(resolver).map(([name, handler]) => [`${resolver.name}.${name}`, resolver, handler] as const),
);

describe('AuthorizationGuard', () => {
  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  it('finds the operations to check (the scan is not empty)', () => {
    expect(OPERATIONS.map(([name]) => name)).toEqual(
      expect.arrayContaining([
        'DomainsResolver.createDomain',
        'DataProductsResolver.dataProducts',
        'PrincipalsResolver.grantRole',
      ]),
    );
    expect(OPERATIONS.length).toBeGreaterThanOrEqual(17);
  });

  describe.each(OPERATIONS)('%s', (_name, resolver, handler) => {
    it('declares what it needs', () => {
      expect(
        Reflect.getMetadata(ACCESS_KEY, handler) ?? Reflect.getMetadata(ACCESS_KEY, resolver),
      ).toBeDefined();
    });

    it('is allowed for an admin with its declaration', async () => {
      expect(await codeOf(guardFor(admin).guard.canActivate(contextFor(handler, resolver)))).toBe('ALLOWED');
      const known = guardFor(admin, testConfig(), true).guard;
      expect(await codeOf(known.canActivate(contextFor(handler, resolver)))).toBe('ALLOWED');
    });

    it('is denied, even to an admin, once its declaration is removed', async () => {
      // The same handler without its metadata, on a class without any: what deleting the decorator leaves.
      const undeclared = { [handler.name]: (...args: unknown[]) => handler(...args) }[
        handler.name
      ] as typeof handler;
      function Undeclared(): void {}
      expect(Reflect.getMetadata(ACCESS_KEY, undeclared)).toBeUndefined();
      expect(await codeOf(guardFor(admin).guard.canActivate(contextFor(undeclared, Undeclared)))).toBe(
        'FORBIDDEN',
      );
    });

    it('is refused to an unauthenticated caller', async () => {
      expect(await codeOf(guardFor(null).guard.canActivate(contextFor(handler, resolver)))).toBe(
        'UNAUTHENTICATED',
      );
    });
  });

  it('lets anonymous callers reach only the health probes', async () => {
    for (const name of ['live', 'ready'] as const) {
      const handler = HealthController.prototype[name] as (...args: unknown[]) => unknown;
      expect(await codeOf(guardFor(null).guard.canActivate(contextFor(handler, HealthController)))).toBe(
        'ALLOWED',
      );
    }
  });

  it.each([false, true])(
    'refuses at type level, and reports it, when no rule of the caller allows the action at all (outcome known at once: %s)',
    async (known) => {
      const consumer: Actor = {
        ...admin,
        bindings: [],
        ability: buildAbility({
          id: 'p-c',
          bindings: [{ role: 'consumer', domainId: 'd1', productId: null, clearFields: [] }],
        }),
      };
      const { guard, denials } = guardFor(consumer, testConfig(), known);
      const handler = DomainsResolver.prototype.createDomain as (...args: unknown[]) => unknown;
      expect(await codeOf(guard.canActivate(contextFor(handler, DomainsResolver)))).toBe('FORBIDDEN');
      expect(denials).toEqual([
        { type: 'access.denied', action: 'create', subject: 'Domain', answeredAs: 'FORBIDDEN' },
      ]);
    },
  );

  it.each([false, true])(
    'answers RATE_LIMITED with a retry hint once a principal spends its bucket (outcome known at once: %s)',
    async (known) => {
      class Expensive {
        @Requires('check', 'Contract')
        @RateLimit('check')
        check(): void {}
      }
      const { guard } = guardFor(admin, testConfig({ rateLimit: { perMinute: 6, burst: 2 } }), known);
      const run = () => codeOf(guard.canActivate(contextFor(Expensive.prototype.check, Expensive)));
      expect([await run(), await run(), await run()]).toEqual(['ALLOWED', 'ALLOWED', 'RATE_LIMITED']);
      let thrown: unknown;
      await guard.canActivate(contextFor(Expensive.prototype.check, Expensive)).catch((e: unknown) => {
        thrown = e;
      });
      expect(toPublicError(thrown)).toEqual({
        code: 'RATE_LIMITED',
        message: expect.any(String),
        retryAfterSeconds: 10,
      });
    },
  );
});
