import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type AuditActor } from '@charter/sdk';
import { DataSource, type EntityManager } from 'typeorm';
import { type AccessAuditEvent, type AuditContext, type AuditRecorder } from '../../auth/audit-recorder';
import { transactionFor } from '../../database/request-transaction';
import { type AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { DenialThrottle } from './denial-throttle';
import { actorInfoOf } from './audit-actor-context';
import { roleLabel, SYSTEM_AUDIT_ACTOR, type AuditEntry } from './audit-entry';
import { AuditLog } from './audit-log.service';

/** The identity seam's events as audit entries: ids, kinds and codes only, never names or secrets. */
export function entryOf(event: AccessAuditEvent, actor: AuditActor): AuditEntry {
  switch (event.type) {
    case 'principal.created':
      return {
        actor,
        action: 'principal.create',
        resource: { type: 'Principal', id: event.principalId },
        change: { summary: `kind ${event.kind}` },
      };
    case 'api-key.created':
    case 'api-key.revoked':
      return {
        actor,
        action: event.type === 'api-key.created' ? 'api-key.create' : 'api-key.revoke',
        resource: { type: 'ApiKey', id: event.keyId },
        change: { summary: `principal ${event.principalId}` },
      };
    case 'role.granted':
    case 'role.revoked':
      return {
        actor,
        action: event.type === 'role.granted' ? 'role.grant' : 'role.revoke',
        resource: {
          type: 'RoleGrant',
          id: event.grantId,
          ...(event.productId !== null && { productId: event.productId }),
          ...(event.domainId !== null && { domainId: event.domainId }),
          ...(event.clearFields.length > 0 && { fieldPaths: [...event.clearFields] }),
        },
        change: { summary: `principal ${event.principalId} role ${roleLabel(event)}` },
      };
    case 'authentication.failed':
      return {
        actor: { principalId: 'anonymous', authMethod: event.credential, roles: [] },
        action: 'authentication.fail',
        resource: { type: 'Credential', ...(event.keyId !== undefined && { id: event.keyId }) },
        outcome: 'denied',
        reason: event.reason,
      };
    case 'access.denied':
      return {
        actor,
        action: 'authz.denied',
        resource: { type: event.subject },
        outcome: 'denied',
        reason: `${event.action} ${event.subject}: answered ${event.answeredAs}`,
        decision: { policyId: 'role-grants', ruleId: `${event.action}:${event.subject}` },
      };
  }
}

const NOT_THROTTLED = { record: true, suppressed: 0 };

function isDenial(event: AccessAuditEvent): boolean {
  return event.type === 'authentication.failed' || event.type === 'access.denied';
}

/** Whose denials share a budget: the principal, else the key id tried, else the client. */
function sourceOf(event: AccessAuditEvent, context: AuditContext): string {
  if (context.actor?.principalId) return `principal:${context.actor.principalId}`;
  if (event.type === 'authentication.failed' && event.keyId !== undefined) return `key:${event.keyId}`;
  return `client:${context.request?.client ?? 'none'}`;
}

function suppressedEntry(entry: AuditEntry, count: number): AuditEntry {
  return {
    actor: entry.actor,
    action: 'audit.denials.suppressed',
    resource: { type: 'AuditLog' },
    outcome: 'denied',
    reason: 'over the per-minute limit of individually recorded denials',
    change: {
      summary: `${count} denied requests in an earlier minute were counted, not recorded one by one`,
    },
  };
}

/**
 * The AuditRecorder the identity code calls: with a manager, inside that transaction; without one
 * (denials, failed sign-ins), in a transaction of its own.
 */
@Injectable()
export class DatabaseAuditRecorder implements AuditRecorder {
  private readonly throttle: DenialThrottle;

  constructor(
    private readonly log: AuditLog,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.throttle = new DenialThrottle(config.audit.denialsPerMinute);
  }

  async record(event: AccessAuditEvent, context: AuditContext, manager?: EntityManager): Promise<void> {
    const admitted = isDenial(event) ? this.throttle.admit(sourceOf(event, context)) : NOT_THROTTLED;
    if (!admitted.record) return;
    const write = async (into: EntityManager): Promise<void> => {
      const entry = entryOf(event, await this.actorOf(context, into));
      if (admitted.suppressed > 0) await this.log.append(into, suppressedEntry(entry, admitted.suppressed));
      await this.log.append(into, entry);
    };
    await (manager === undefined ? transactionFor(this.dataSource, context, write) : write(manager));
  }

  /** Auth method and roles come from the request's authenticated actor, else from current grants. */
  private async actorOf(context: AuditContext, manager: EntityManager): Promise<AuditActor> {
    const principalId = context.actor?.principalId ?? null;
    if (principalId === null) return SYSTEM_AUDIT_ACTOR;
    const known = actorInfoOf(context.request);
    if (known?.principalId === principalId) return known;
    const rows: { role: string; domain_id: string | null; data_product_id: string | null }[] =
      await manager.query(
        'SELECT role, domain_id, data_product_id FROM role_grants WHERE principal_id = $1',
        [principalId],
      );
    const roles = rows
      .map((row) =>
        roleLabel({ role: row.role as never, domainId: row.domain_id, productId: row.data_product_id }),
      )
      .sort();
    return { principalId, authMethod: 'unknown', roles };
  }
}
