export type * from './rules';
export { qualityRulesSchema } from './rule-schema';
export { type CompiledQualityRules, type QualityCompileResult, compileQualityRules } from './compile';
export { compilePath, type PayloadPath } from './path';
export { parseInstant, parseDuration } from './time';
export {
  type QualityRuleChange,
  type QualityRuleChangeType,
  type QualityRulesDiff,
  diffQualityRules,
} from './diff';
