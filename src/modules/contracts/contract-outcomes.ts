import {
  type Change,
  type CompatibilityMode,
  type CompatibilityPolicy,
  type ContractIssue,
  type ContractReport,
} from '@charter/sdk';
import { type ContractVersionRecord } from './contract-versions.repository';
import { type CompatibilityChangeModel } from './models/compatibility.model';
import { type ContractVersionModel } from './models/contract-version.model';
import {
  type CompatibleContract,
  type ContractVersionPublished,
  type IncompatibleContract,
  type InvalidContract,
} from './models/publish-result.model';

type Typed<T, N extends string> = T & { __typename: N };

export function toVersionModel(record: ContractVersionRecord): ContractVersionModel {
  return {
    id: record.id,
    product: record.product,
    version: record.version,
    contentHash: record.contentHash,
    document: record.document,
    text: record.sourceText,
    state: record.state,
    deprecationReason: record.deprecationReason,
    deleted: record.deletedAt !== null,
    compatibilityMode: record.compatibilityMode as CompatibilityMode,
    compatibilityPolicy: record.compatibilityPolicy as CompatibilityPolicy,
    createdAt: record.createdAt,
  };
}

/** Changes as the API shows them; `against` (an index into the history) becomes a version number. */
export function toChangeModels(
  changes: readonly Change[],
  history: readonly { version: number }[],
): CompatibilityChangeModel[] {
  return changes.map(
    ({ category, type, breaking, breaks, schemaPath, instancePath, message, fix, against }) => ({
      category,
      type,
      breaking,
      breaks: [...breaks],
      schemaPath,
      instancePath,
      message,
      ...(fix !== undefined ? { fix } : {}),
      ...(against !== undefined && history[against] ? { againstVersion: history[against].version } : {}),
    }),
  );
}

export const invalid = (issues: readonly ContractIssue[]): Typed<InvalidContract, 'InvalidContract'> => ({
  __typename: 'InvalidContract',
  issues: issues.map(({ path, code, message }) => ({ path, code, message })),
});

export const incompatible = (
  report: ContractReport,
  history: readonly { version: number }[],
): Typed<IncompatibleContract, 'IncompatibleContract'> => ({
  __typename: 'IncompatibleContract',
  mode: report.mode,
  policy: report.policy,
  verdict: report.verdict,
  reason: report.reason?.message ?? null,
  changes: toChangeModels(report.changes, history),
});

/** `checked`: the new version's changes (toChangeModels) and approval need; null when none was checked. */
export const published = (
  record: ContractVersionRecord,
  created: boolean,
  checked: { changes: CompatibilityChangeModel[]; needsApproval: boolean } | null,
): Typed<ContractVersionPublished, 'ContractVersionPublished'> => ({
  __typename: 'ContractVersionPublished',
  contractVersion: toVersionModel(record),
  created,
  changes: checked?.changes ?? [],
  needsApproval: checked?.needsApproval ?? false,
});

export const compatible = (
  report: ContractReport,
  history: readonly { version: number }[],
  existing: ContractVersionRecord | null,
): Typed<CompatibleContract, 'CompatibleContract'> => ({
  __typename: 'CompatibleContract',
  mode: report.mode,
  policy: report.policy,
  changes: toChangeModels(report.changes, history),
  needsApproval: report.needsApproval,
  existingVersion: existing ? toVersionModel(existing) : null,
});
