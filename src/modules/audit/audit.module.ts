import { Global, Module } from '@nestjs/common';
import { AuditCheckpointer } from './audit-checkpointer';
import { AuditEventsRepository } from './audit-events.repository';
import { AuditExportController } from './audit-export.controller';
import { AuditLog } from './audit-log.service';
import { AuditReader } from './audit-reader.service';
import { AuditVerifier } from './audit-verifier';
import { AuditResolver } from './audit.resolver';
import { DatabaseAuditRecorder } from './database-audit-recorder';

/** The audit log: AuditLog for every service's changes, DatabaseAuditRecorder for the identity seam. */
@Global()
@Module({
  controllers: [AuditExportController],
  providers: [
    AuditEventsRepository,
    AuditCheckpointer,
    AuditLog,
    AuditVerifier,
    AuditReader,
    AuditResolver,
    DatabaseAuditRecorder,
  ],
  exports: [AuditLog, AuditCheckpointer, AuditVerifier, DatabaseAuditRecorder],
})
export class AuditModule {}
