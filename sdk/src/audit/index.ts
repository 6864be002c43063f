export {
  type AuditActor,
  type AuditResource,
  type AuditOutcome,
  type AuditDecision,
  type AuditRequest,
  type AuditChange,
  type AuditEventBody,
  type AuditEvent,
  auditEventShapeProblem,
} from './audit-event';
export { AuditError, type AuditErrorCode } from './audit-error';
export {
  GENESIS_HASH,
  hashEvent,
  chainEvent,
  canonicalEventBytes,
  canonicalEventText,
  hashCanonicalEvent,
  eventHashDomain,
  canonicalEventTextAroundSeq,
  type EventTextAroundSeq,
} from './hash-chain';
export {
  type CheckpointBody,
  type SignedCheckpoint,
  signCheckpoint,
  verifyCheckpoint,
  checkpointHash,
  keyIdOf,
  loadEd25519PrivateKey,
  loadEd25519PublicKey,
} from './checkpoint';
export {
  verifyChain,
  verifyStoredChain,
  walkStoredChain,
  type StoredAuditRecord,
  type StoredChainWalk,
  type ChainVerification,
  type ChainFailureCode,
  type VerifyChainOptions,
} from './verify-chain';
export {
  type AuditCloudEvent,
  AUDIT_EVENT_TYPE_PREFIX,
  toCloudEvent,
  fromCloudEvent,
  toCloudEventLine,
  readCloudEventLines,
} from './cloud-events';
