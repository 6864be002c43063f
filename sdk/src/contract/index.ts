export { contractDocumentSchema } from './contract-schema';
export { parseStrictJson, type StrictJsonIssue, type StrictJsonResult } from './strict-json';
export { checkSchemaProfile, MAX_COMBINATOR_BRANCHES, type ProfileIssue } from './schema-profile';
export {
  prepareContract,
  MAX_CONTRACT_BYTES,
  type ContractField,
  type ContractIssue,
  type PreparedContract,
  type PrepareResult,
} from './prepare-contract';
export { checkContractChange, type ContractChangeRequest, type ContractReport } from './contract-report';
