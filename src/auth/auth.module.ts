import {
  type DynamicModule,
  Global,
  Module,
  type ModuleMetadata,
  type Provider,
  type Type,
} from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AccessDeniedFilter } from './access-denied.filter';
import { AUDIT_RECORDER, type AuditRecorder, NoopAuditRecorder } from './audit-recorder';
import { Authenticator } from './authenticator';
import { AuthorizationGuard } from './authorization.guard';
import { DenialAudit } from './denial-audit';
import { CredentialsCache } from './credentials-cache';
import { CredentialsRepository } from './credentials.repository';

export interface AuthModuleOptions {
  /** The audit seam: a class (built with its dependencies from `imports`) or a ready instance. */
  auditRecorder?: Type<AuditRecorder> | AuditRecorder;
  imports?: ModuleMetadata['imports'];
}

function recorderProvider(recorder: AuthModuleOptions['auditRecorder']): Provider {
  if (recorder === undefined) return { provide: AUDIT_RECORDER, useClass: NoopAuditRecorder };
  return typeof recorder === 'function'
    ? { provide: AUDIT_RECORDER, useClass: recorder }
    : { provide: AUDIT_RECORDER, useValue: recorder };
}

/** Authentication, the deny-by-default guard and the audit seam, for the whole application. */
@Global()
@Module({})
export class AuthModule {
  static forRoot(options: AuthModuleOptions = {}): DynamicModule {
    return {
      module: AuthModule,
      imports: options.imports ?? [],
      providers: [
        recorderProvider(options.auditRecorder),
        CredentialsRepository,
        CredentialsCache,
        Authenticator,
        DenialAudit,
        // No global interceptor: each costs an rxjs chain per resolver call. Denials are
        // recorded by the guard and, for refusals thrown further in, by the exception filters.
        { provide: APP_GUARD, useClass: AuthorizationGuard },
        { provide: APP_FILTER, useClass: AccessDeniedFilter },
      ],
      exports: [AUDIT_RECORDER, Authenticator, CredentialsCache, DenialAudit],
    };
  }
}
