import { AnonymizationError } from './errors';
import { compileGlob, globCovers, type PathGlob, selfAndAncestors } from './field-path';
import { validatePolicy } from './policy-validation';
import {
  type Classification,
  CLASSIFICATIONS,
  type ContractDocument,
  type FieldDecision,
  type FieldPlan,
  type PlannedField,
  type PolicyDocument,
  type Principal,
  type Treatment,
} from './policy-types';
import { collectSchemaFields, type SchemaField, type SchemaWalkOptions } from './schema-fields';
import { decisionStrength } from './treatment-strength';

interface Grant {
  readonly glob: PathGlob;
  readonly text: string;
  readonly rule: string;
}

interface Resolution {
  readonly decision: FieldDecision;
  readonly rule: string;
  readonly whole: boolean;
}

/** Operators that replace the whole value, so an object they hit is not walked into. */
const WHOLE_VALUE = new Set<string>(['redact', 'nullify', 'replace', 'keep']);

/**
 * The effective field plan of one principal for one contract version: for every declared field,
 * clear or the treatment to apply, and which rule decided. Precedence, first match wins:
 * a clear-access grant of the principal (on the field or an ancestor) → the per-field override
 * nearest up the path → the strongest rule among the field's tags (own and inherited) → the rule
 * of its classification (highest up the path) → fail-closed defaults: a `pii:*` tag or a
 * confidential/restricted classification is redacted; other declared fields are released.
 */
export function resolveFieldPolicy(
  contract: ContractDocument,
  principal: Principal,
  options: SchemaWalkOptions = {},
): FieldPlan {
  const checked = validatePolicy(contract.policy ?? {});
  if (!checked.ok)
    throw new AnonymizationError(
      'POLICY_INVALID',
      `policy invalid: ${checked.issues.map((i) => `${i.code} at ${i.path}`).join('; ')}`,
    );
  const policy = checked.policy;
  const schemaFields = collectSchemaFields(contract.schema, options);
  const grants = grantsOf(policy, principal);
  const resolved = new Map<string, Resolution>();
  for (const field of schemaFields.values())
    resolved.set(field.path, resolveField(field, schemaFields, policy, grants));
  const fields: PlannedField[] = [];
  for (const field of schemaFields.values()) {
    if (field.path === '') continue;
    let resolution = resolved.get(field.path) as Resolution;
    if (resolution.whole && resolution.decision !== 'clear' && hasClearDescendant(field.path, resolved))
      resolution = { ...resolution, whole: false };
    fields.push(plannedField(field, resolution, schemaFields));
  }
  return {
    planVersion: 1,
    fields,
    undeclared: { treatment: 'drop', clearGrants: grants.map((grant) => grant.text) },
  };
}

function grantsOf(policy: PolicyDocument, principal: Principal): Grant[] {
  const grants: Grant[] = [];
  (policy.access ?? []).forEach((grant, index) => {
    const holds =
      (grant.role !== undefined && principal.roles.includes(grant.role)) ||
      (grant.consumer !== undefined && grant.consumer === principal.consumer);
    if (holds)
      for (const text of grant.fields)
        grants.push({ glob: compileGlob(text), text, rule: `access[${index}]` });
  });
  return grants;
}

function resolveField(
  field: SchemaField,
  schemaFields: ReadonlyMap<string, SchemaField>,
  policy: PolicyDocument,
  grants: readonly Grant[],
): Resolution {
  const isLeaf = !field.hasProperties && !field.hasItems;
  const decide = (decision: FieldDecision, rule: string, explicit: boolean): Resolution => {
    const wholeValue = decision === 'clear' ? explicit : WHOLE_VALUE.has(decision.operator);
    return {
      decision: decision !== 'clear' && decision.operator === 'keep' ? 'clear' : decision,
      rule,
      whole: wholeValue || (isLeaf && explicit),
    };
  };
  const grant = grants.find((candidate) => globCovers(candidate.glob, field.path));
  if (grant !== undefined) return decide('clear', grant.rule, true);
  const lineage = selfAndAncestors(field.path);
  for (const path of lineage.slice(0, -1)) {
    const override = policy.fields?.[path];
    if (override !== undefined) return decide(override, `fields[${path}]`, true);
  }
  const { tags, classification } = inherited(lineage, schemaFields);
  const tagRule = strongestTagRule(tags, policy);
  if (tagRule !== undefined) return decide(tagRule.treatment, `tags[${tagRule.key}]`, true);
  const classRule = classification === undefined ? undefined : policy.classifications?.[classification];
  if (classRule !== undefined && classification !== undefined)
    return decide(classRule, `classifications[${classification}]`, true);
  if (tags.some((tag) => tag.startsWith('pii:'))) return decide({ operator: 'redact' }, 'default:pii', true);
  if (classification === 'confidential' || classification === 'restricted')
    return decide({ operator: 'redact' }, 'default:classification', true);
  return decide('clear', 'default:declared', false);
}

function inherited(
  lineage: readonly string[],
  schemaFields: ReadonlyMap<string, SchemaField>,
): { tags: string[]; classification: Classification | undefined } {
  const tags = new Set<string>();
  let rank = -1;
  for (const path of lineage) {
    const field = schemaFields.get(path);
    if (field === undefined) continue;
    for (const tag of field.tags) tags.add(tag);
    if (field.classification !== undefined)
      rank = Math.max(rank, CLASSIFICATIONS.indexOf(field.classification));
  }
  return { tags: [...tags].sort(), classification: CLASSIFICATIONS[rank] };
}

/** For each tag its own rule, else its namespace's `ns:*` rule; among the tags, the strongest. */
function strongestTagRule(
  tags: readonly string[],
  policy: PolicyDocument,
): { key: string; treatment: Treatment } | undefined {
  let best: { key: string; treatment: Treatment } | undefined;
  for (const tag of tags) {
    const namespaceKey = `${tag.slice(0, tag.indexOf(':') + 1)}*`;
    const key = policy.tags?.[tag] !== undefined ? tag : namespaceKey;
    const treatment = policy.tags?.[key];
    if (treatment === undefined) continue;
    if (best === undefined || decisionStrength(treatment) > decisionStrength(best.treatment))
      best = { key, treatment };
  }
  return best;
}

/** A grant on a member must survive a whole-value rule on its container: walk in instead. */
function hasClearDescendant(path: string, resolved: ReadonlyMap<string, Resolution>): boolean {
  const prefix = `${path}/`;
  for (const [candidate, resolution] of resolved)
    if (
      candidate.startsWith(prefix) &&
      resolution.decision === 'clear' &&
      resolution.rule.startsWith('access[')
    )
      return true;
  return false;
}

function plannedField(
  field: SchemaField,
  resolution: Resolution,
  schemaFields: ReadonlyMap<string, SchemaField>,
): PlannedField {
  const { tags, classification } = inherited(selfAndAncestors(field.path), schemaFields);
  return {
    path: field.path,
    kind: field.hasProperties ? 'object' : field.hasItems ? 'array' : 'leaf',
    whole: resolution.whole,
    decision: resolution.decision,
    rule: resolution.rule,
    tags,
    ...(classification === undefined ? {} : { classification }),
  };
}
