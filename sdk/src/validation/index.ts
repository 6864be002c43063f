export { type SchemaDialect, DEFAULT_DIALECT, dialectOf } from './dialect';
export {
  type ValidationIssue,
  type IssueSeverity,
  type ValidationResult,
  type BatchValidationResult,
  ContractValidationError,
  ContractCompileError,
} from './issues';
export { compileLinearPattern, linearRegExpEngine, type LinearPattern } from './linear-regexp';
export { type SchemaLimits, DEFAULT_SCHEMA_LIMITS, guardSchema } from './schema-guard';
export {
  CHARTER_KEYWORD,
  CLASSIFICATIONS,
  type SchemaCompilerOptions,
  type SchemaCompileResult,
  type SchemaCheckResult,
  createSchemaCompiler,
  compileSchema,
  checkSchema,
} from './schema-compiler';
export { validationShapeKey } from './schema-shape';
export { schemaErrorsToIssues } from './schema-issues';
export {
  CONTRACT_API_VERSION,
  type DataContract,
  type CompiledContract,
  type ContractCompileResult,
  compileContract,
  checkContract,
} from './contract';
export { ValidatorCache, defaultValidatorCache } from './validator-cache';
export {
  type ContractIdentity,
  type ValidatorOptions,
  type ContractValidator,
  contractKey,
  createValidator,
} from './validator';
