import { resolveFieldPolicy } from './resolve-field-policy';
import { type ContractDocument, type FieldPlan, type PlannedField, type Principal } from './policy-types';
import { classificationRank, decisionStrength, revealsMoreWithinOperator } from './treatment-strength';

export type GovernanceChangeCode =
  'PII_TAG_REMOVED' | 'CLASSIFICATION_LOWERED' | 'CLEAR_ACCESS_GRANTED' | 'ANONYMIZATION_WEAKENED';

/** A policy change between two versions that must be approved by the owner or governance. */
export interface GovernanceChange {
  readonly code: GovernanceChangeCode;
  readonly path: string;
  /** `role:<name>` or `consumer:<name>`; absent when the change applies to every principal. */
  readonly principal?: string;
  readonly message: string;
  readonly approval: 'owner-or-governance';
}

interface NamedPrincipal {
  readonly label: string | undefined;
  readonly principal: Principal;
}

/**
 * Governance changes from the old to the new contract version: PII tags removed, classifications
 * lowered, clear access gained by a role or consumer, treatments weakened. Fields only in one
 * version are not compared (a new field is not a change of an existing one).
 */
export function diffPolicies(
  oldContract: ContractDocument,
  newContract: ContractDocument,
): GovernanceChange[] {
  const changes: GovernanceChange[] = [];
  const baseline: NamedPrincipal = { label: undefined, principal: { roles: [] } };
  const oldBase = resolveFieldPolicy(oldContract, baseline.principal);
  const newBase = resolveFieldPolicy(newContract, baseline.principal);
  compareAnnotations(byPath(oldBase), byPath(newBase), changes);
  compareDecisions(oldBase, newBase, baseline, changes);
  for (const named of grantees(oldContract, newContract)) {
    const oldPlan = resolveFieldPolicy(oldContract, named.principal);
    const newPlan = resolveFieldPolicy(newContract, named.principal);
    compareDecisions(oldPlan, newPlan, named, changes);
    for (const glob of newPlan.undeclared.clearGrants)
      if (!oldPlan.undeclared.clearGrants.includes(glob))
        changes.push(
          change(
            'CLEAR_ACCESS_GRANTED',
            glob,
            named.label,
            `${named.label ?? 'everyone'} gains clear access to ${glob}, undeclared fields included`,
          ),
        );
  }
  return changes;
}

const byPath = (plan: FieldPlan): Map<string, PlannedField> =>
  new Map(plan.fields.map((field) => [field.path, field]));

function change(
  code: GovernanceChangeCode,
  path: string,
  principal: string | undefined,
  sentence: string,
): GovernanceChange {
  return {
    code,
    path,
    ...(principal === undefined ? {} : { principal }),
    message: `${sentence}; needs approval by the owner or governance.`,
    approval: 'owner-or-governance',
  };
}

function compareAnnotations(
  before: Map<string, PlannedField>,
  after: Map<string, PlannedField>,
  changes: GovernanceChange[],
): void {
  for (const [path, old] of before) {
    const now = after.get(path);
    if (now === undefined) continue;
    for (const tag of old.tags)
      if (tag.startsWith('pii:') && !now.tags.includes(tag))
        changes.push(change('PII_TAG_REMOVED', path, undefined, `Field ${path} loses tag ${tag}`));
    if (classificationRank(now.classification) < classificationRank(old.classification))
      changes.push(
        change(
          'CLASSIFICATION_LOWERED',
          path,
          undefined,
          `Field ${path} is lowered from ${old.classification ?? 'unclassified'} to ${now.classification ?? 'unclassified'}`,
        ),
      );
  }
}

function compareDecisions(
  oldPlan: FieldPlan,
  newPlan: FieldPlan,
  named: NamedPrincipal,
  changes: GovernanceChange[],
): void {
  const before = byPath(oldPlan);
  const who = named.label ?? 'Every principal';
  for (const now of newPlan.fields) {
    const old = before.get(now.path);
    if (old === undefined || old.decision === 'clear') continue;
    const viaGrant = now.rule.startsWith('access[');
    // A grantee's non-grant changes are the baseline's changes; report them once, there.
    if (named.label !== undefined && !viaGrant) continue;
    if (now.decision === 'clear')
      changes.push(
        viaGrant
          ? change(
              'CLEAR_ACCESS_GRANTED',
              now.path,
              named.label,
              `${who} gains clear access to ${now.path} (was ${old.decision.operator})`,
            )
          : change(
              'ANONYMIZATION_WEAKENED',
              now.path,
              named.label,
              `${who} now reads ${now.path} in clear (was ${old.decision.operator})`,
            ),
      );
    else if (
      decisionStrength(now.decision) < decisionStrength(old.decision) ||
      revealsMoreWithinOperator(old.decision, now.decision)
    )
      changes.push(
        change(
          'ANONYMIZATION_WEAKENED',
          now.path,
          named.label,
          `${now.path} is weakened from ${old.decision.operator} to ${now.decision.operator}`,
        ),
      );
  }
}

function grantees(...contracts: ContractDocument[]): NamedPrincipal[] {
  const seen = new Map<string, NamedPrincipal>();
  for (const contract of contracts)
    for (const grant of contract.policy?.access ?? []) {
      if (grant.role !== undefined)
        seen.set(`role:${grant.role}`, { label: `role:${grant.role}`, principal: { roles: [grant.role] } });
      if (grant.consumer !== undefined)
        seen.set(`consumer:${grant.consumer}`, {
          label: `consumer:${grant.consumer}`,
          principal: { roles: [], consumer: grant.consumer },
        });
    }
  return [...seen.values()];
}
