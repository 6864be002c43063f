export { AnonymizationError, type AnonymizationErrorCode } from './errors';
export {
  FPE_ALPHABETS,
  type Classification,
  type FpeAlphabet,
  type Treatment,
  type OperatorName,
  type ClearAccessGrant,
  type PolicyDocument,
  type ContractDocument,
  type Principal,
  type FieldDecision,
  type PlannedField,
  type FieldPlan,
} from './policy-types';
export { validatePolicy, type PolicyValidation, type PolicyIssue } from './policy-validation';
export { collectSchemaFields, type SchemaField, type SchemaWalkOptions } from './schema-fields';
export { resolveFieldPolicy } from './resolve-field-policy';
export { compileAnonymizer, type Anonymizer, type AnonymizerContext } from './compile-anonymizer';
export { revealValue, type RevealKeys } from './reveal';
export { diffPolicies, type GovernanceChange, type GovernanceChangeCode } from './diff-policies';
export { maskText, graphemes } from './operators/mask';
export { createFpeCipher, FPE_MIN_DOMAIN, type FpeCipher } from './operators/fpe';
export { compileGlob, globMatches, globCovers } from './field-path';
export {
  anonymizeForExport,
  assertKAnonymous,
  DEFAULT_K,
  KAnonymityError,
  type KAnonymityReport,
  kAnonymityReport,
  MAX_K,
  QUASI_IDENTIFIER_NAMESPACE,
  quasiIdentifierPaths,
} from './k-anonymity';
