export { AuditLog } from './audit-log.service';
export { type AuditEntry, auditActorOf, stateHash, SYSTEM_AUDIT_ACTOR } from './audit-entry';
export { AuditModule } from './audit.module';
