/** Compatibility engine: `checkCompatibility` and the change vocabulary other diffs reuse. */
export { checkCompatibility } from './check';
export {
  COMPATIBILITY_MODES,
  COMPATIBILITY_POLICIES,
  CompatibilityError,
  type Change,
  type ChangeCategory,
  type CompatibilityIssueCode,
  type CompatibilityMode,
  type CompatibilityPolicy,
  type CompatibilityRequest,
  type CompatibilityResult,
  type Direction,
  type Verdict,
} from './types';
