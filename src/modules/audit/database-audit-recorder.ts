import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type AuditActor } from '@charter/sdk';
import { DataSource, type EntityManager } from 'typeorm';
import { type AccessAuditEvent, type AuditContext, type AuditRecorder } from '../../auth/audit-recorder';
import { currentRequestContext } from '../../common/request-context';
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

/**
 * The AuditRecorder the identity code calls: with a manager, inside that transaction; without one
 * (denials, failed sign-ins), in a transaction of its own.
 */
@Injectable()
export class DatabaseAuditRecorder implements AuditRecorder {
  constructor(
    private readonly log: AuditLog,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async record(event: AccessAuditEvent, context: AuditContext, manager?: EntityManager): Promise<void> {
    const write = async (into: EntityManager): Promise<void> => {
      const actor = await this.actorOf(context, into);
      await this.log.append(into, entryOf(event, actor));
    };
    await (manager === undefined ? this.dataSource.transaction(write) : write(manager));
  }

  /** Auth method and roles come from the request's authenticated actor, else from current grants. */
  private async actorOf(context: AuditContext, manager: EntityManager): Promise<AuditActor> {
    const principalId = context.actor?.principalId ?? null;
    if (principalId === null) return SYSTEM_AUDIT_ACTOR;
    const known = actorInfoOf(currentRequestContext());
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
