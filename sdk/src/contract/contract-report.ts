import { type ContractDocument, diffPolicies, type GovernanceChange } from '../anonymization';
import {
  checkCompatibility,
  type Change,
  type CompatibilityMode,
  type CompatibilityPolicy,
  type CompatibilityResult,
  type Direction,
} from '../compatibility';
import { diffQualityRules, type QualityRuleChange } from '../quality';
import { type DataContract } from '../validation';

export interface ContractChangeRequest {
  mode: CompatibilityMode;
  policy: CompatibilityPolicy;
  /** Earlier live versions, oldest first. */
  history: readonly DataContract[];
  proposed: DataContract;
}

export interface ContractReport extends CompatibilityResult {
  /** A governance change (PII tag removed, clear access granted, ...) needs the owner's or governance's approval. */
  needsApproval: boolean;
}

function governanceChange(change: GovernanceChange): Change {
  return {
    category: 'governance',
    type: change.code,
    breaking: false,
    breaks: [],
    schemaPath: change.principal ? `/policy/access` : `/schema`,
    instancePath: change.path,
    message: change.message,
    fix: 'needs approval by the product owner or governance',
  };
}

function directionsOf(mode: CompatibilityMode): Direction[] {
  if (mode === 'NONE') return [];
  if (mode.startsWith('BACKWARD')) return ['backward'];
  if (mode.startsWith('FORWARD')) return ['forward'];
  return ['backward', 'forward'];
}

/** A tightened rule fails data old writers produce (BACKWARD); a loosened one lets through data old readers refuse. */
function qualityChange(change: QualityRuleChange, mode: CompatibilityMode, against: number): Change {
  const direction: Direction = change.effect === 'tightened' ? 'backward' : 'forward';
  const breaksDirection = change.effect === 'tightened' ? change.breaking : true;
  const breaks = breaksDirection && directionsOf(mode).includes(direction) ? [direction] : [];
  return {
    category: 'quality',
    type: change.type,
    breaking: breaks.length > 0,
    breaks,
    schemaPath: `/quality`,
    instancePath: change.path,
    message: change.message,
    fix: change.suggestion,
    against,
  };
}

/** Quality-rule changes against the versions the mode checks: the latest, or all when transitive. */
function qualityChanges(request: ContractChangeRequest): Change[] {
  const last = request.history.length - 1;
  const targets = request.mode.endsWith('_TRANSITIVE')
    ? request.history.map((_, i) => i)
    : last >= 0
      ? [last]
      : [];
  const proposed = request.proposed.quality ?? [];
  return targets.flatMap((i) =>
    diffQualityRules(request.history[i]?.quality ?? [], proposed).changes.map((change) =>
      qualityChange(change, request.mode, i),
    ),
  );
}

const acceptsNothing = (schema: unknown): boolean =>
  schema === false ||
  (typeof schema === 'object' && schema !== null && 'not' in schema && schema.not === true);

/**
 * The whole verdict on a new contract version: schema compatibility under the mode and policy,
 * plus governance changes against the latest version, which never break readers but need approval.
 */
export function checkContractChange(request: ContractChangeRequest): ContractReport {
  const schemaResult = checkCompatibility({
    mode: request.mode,
    policy: request.policy,
    history: request.history.map((contract) => contract.schema),
    proposed: request.proposed.schema,
  });
  const latest = request.history[request.history.length - 1];
  // Both documents passed prepareContract, so their policies are valid policy documents.
  const governance = latest
    ? diffPolicies(latest as ContractDocument, request.proposed as ContractDocument).map(governanceChange)
    : [];
  const notices: Change[] = acceptsNothing(request.proposed.schema)
    ? [
        {
          category: 'schema',
          type: 'SCHEMA_ACCEPTS_NOTHING',
          breaking: false,
          breaks: [],
          schemaPath: '',
          instancePath: '',
          message: 'the new schema accepts no payload at all',
          fix: 'replace the false schema with one describing the payload',
        },
      ]
    : [];
  const quality = request.mode === 'NONE' ? [] : qualityChanges(request);
  const qualityBreaks = quality.some((change) => change.breaking);
  return {
    ...schemaResult,
    verdict: qualityBreaks ? 'incompatible' : schemaResult.verdict,
    changes: [...schemaResult.changes, ...quality, ...notices, ...governance],
    needsApproval: governance.length > 0,
  };
}
