import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { type RequestContext } from '../common/request-context';
import { type Action, type SubjectName } from './ability';
import { type ActorRef, type CredentialKind } from './actor';
import { type Role } from './roles';

export type AuthFailureReason =
  | 'missing'
  | 'malformed'
  | 'wrong-environment'
  | 'unknown-key'
  | 'wrong-secret'
  | 'expired'
  | 'revoked'
  | 'not-yet-valid'
  | 'wrong-issuer'
  | 'wrong-audience'
  | 'bad-signature'
  | 'algorithm-not-allowed'
  | 'jwt-not-configured'
  | 'unknown-subject';

export interface GrantRecord {
  grantId: string;
  principalId: string;
  role: Role;
  domainId: string | null;
  productId: string | null;
  clearFields: readonly string[];
}

/** Everything identity and authorization report. Never a secret, a token or a payload value. */
export type AccessAuditEvent =
  | { type: 'principal.created'; principalId: string; name: string; kind: string }
  | { type: 'api-key.created'; principalId: string; keyId: string; expiresAt: Date | null }
  | { type: 'api-key.revoked'; principalId: string; keyId: string }
  | ({ type: 'role.granted' } & GrantRecord)
  | ({ type: 'role.revoked' } & GrantRecord)
  | {
      type: 'authentication.failed';
      reason: AuthFailureReason;
      credential: CredentialKind | 'none';
      keyId?: string;
    }
  | { type: 'access.denied'; action: Action; subject: SubjectName; answeredAs: 'NOT_FOUND' | 'FORBIDDEN' };

export interface AuditContext {
  actor: ActorRef | null;
  /** The request the event happened in; none for the service's own work (bootstrap). */
  request?: RequestContext;
}

/**
 * The seam the audit log implements. Changes call it inside their transaction with its
 * EntityManager, so the change and its record commit together; authentication failures and
 * denials have no transaction and pass none.
 */
export interface AuditRecorder {
  record(event: AccessAuditEvent, context: AuditContext, manager?: EntityManager): Promise<void>;
}

export const AUDIT_RECORDER = Symbol('AUDIT_RECORDER');

/** Until the audit log exists: records nothing. */
@Injectable()
export class NoopAuditRecorder implements AuditRecorder {
  record(): Promise<void> {
    return Promise.resolve();
  }
}
