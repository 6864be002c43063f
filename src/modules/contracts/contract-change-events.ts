import { canonicalHash } from '@charter/sdk';
import { CHANGE_EVENT_TYPES, type ChangeEventInput } from '../change-events';
import { type DataProductRecord } from '../data-products/data-products.repository';
import { type ContractVersionRecord } from './contract-versions.repository';
import { type CompatibilityChangeModel } from './models/compatibility.model';
import { type IncompatibleContract } from './models/publish-result.model';

/** Breaking changes listed in a refusal event; the count says how many there were in all. */
const MAX_LISTED_CHANGES = 50;

function productEvent(
  product: DataProductRecord,
  type: ChangeEventInput['type'],
  subject: string,
  data: Record<string, unknown>,
): ChangeEventInput {
  return {
    type,
    subject,
    domain: { id: product.domainId, name: product.domain },
    product: { id: product.id, name: product.name },
    data: { productId: product.id, domainId: product.domainId, ...data },
  };
}

/** The fingerprint of a contract's governance policy (`policy`), or null when it has none. */
export function policyFingerprintOf(document: Record<string, unknown> | undefined): string | null {
  const policy = document?.['policy'];
  return policy === undefined || policy === null ? null : canonicalHash(policy);
}

/** Change types and locations only: messages can quote enum values or defaults from the schema. */
function changeSummary(changes: readonly CompatibilityChangeModel[]) {
  return changes.slice(0, MAX_LISTED_CHANGES).map((change) => ({
    category: change.category,
    type: change.type,
    breaking: change.breaking,
    schemaPath: change.schemaPath,
    instancePath: change.instancePath,
    ...(change.againstVersion !== undefined && { againstVersion: change.againstVersion }),
  }));
}

export function versionPublishedEvent(
  product: DataProductRecord,
  created: Omit<ContractVersionRecord, 'createdAt'>,
  previous: ContractVersionRecord | null,
  changes: readonly CompatibilityChangeModel[],
): ChangeEventInput {
  const policyFingerprint = policyFingerprintOf(created.document);
  const previousPolicy = previous === null ? null : policyFingerprintOf(previous.document);
  return productEvent(product, CHANGE_EVENT_TYPES.versionPublished, `versions/${created.version}`, {
    contractId: created.id,
    version: created.version,
    previousVersion: previous?.version ?? null,
    fingerprint: created.contentHash,
    compatibilityMode: created.compatibilityMode,
    compatibilityPolicy: created.compatibilityPolicy,
    governancePolicyFingerprint: policyFingerprint,
    governancePolicyChanged: policyFingerprint !== previousPolicy,
    changeCount: changes.length,
    changes: changeSummary(changes),
  });
}

/** Emitted with a publish whose contract's governance policy differs from the previous version's. */
export function policyChangedEvent(
  product: DataProductRecord,
  created: Omit<ContractVersionRecord, 'createdAt'>,
  previous: ContractVersionRecord | null,
): ChangeEventInput {
  return productEvent(product, CHANGE_EVENT_TYPES.policyChanged, `versions/${created.version}/policy`, {
    contractId: created.id,
    version: created.version,
    previousVersion: previous?.version ?? null,
    governancePolicyFingerprint: policyFingerprintOf(created.document),
    previousGovernancePolicyFingerprint: previous === null ? null : policyFingerprintOf(previous.document),
  });
}

export function breakingChangeRefusedEvent(
  product: DataProductRecord,
  fingerprint: string,
  refusal: IncompatibleContract,
): ChangeEventInput {
  const breaking = refusal.changes.filter((change) => change.breaking);
  return productEvent(product, CHANGE_EVENT_TYPES.breakingChangeRefused, 'versions', {
    fingerprint,
    compatibilityMode: refusal.mode,
    compatibilityPolicy: refusal.policy,
    verdict: refusal.verdict,
    breakingChangeCount: breaking.length,
    changes: changeSummary(breaking),
  });
}

export function versionDeprecatedEvent(
  product: DataProductRecord,
  record: ContractVersionRecord,
  reasonGiven: boolean,
): ChangeEventInput {
  return productEvent(product, CHANGE_EVENT_TYPES.versionDeprecated, `versions/${record.version}`, {
    contractId: record.id,
    version: record.version,
    fingerprint: record.contentHash,
    reasonGiven,
  });
}

export function versionDeletedEvent(
  product: DataProductRecord,
  record: ContractVersionRecord,
  permanent: boolean,
): ChangeEventInput {
  return productEvent(product, CHANGE_EVENT_TYPES.versionDeleted, `versions/${record.version}`, {
    contractId: record.id,
    version: record.version,
    fingerprint: record.contentHash,
    permanent,
  });
}
