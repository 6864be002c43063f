import { graphemes } from './operators/mask';
import { FPE_ALPHABETS, type Treatment } from './policy-types';

export interface PolicyIssue {
  /** JSON Pointer into the policy document. */
  readonly path: string;
  readonly code: string;
  readonly message: string;
}

type Check = (treatment: Readonly<Record<string, unknown>>, at: string, issues: PolicyIssue[]) => void;

const isInt = (value: unknown, min: number, max: number): boolean =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;

function optionalInt(name: string, min: number, max: number): Check {
  return (treatment, at, issues) => {
    const value = treatment[name];
    if (value !== undefined && !isInt(value, min, max))
      issues.push({
        path: `${at}/${name}`,
        code: 'PARAMETER_INVALID',
        message: `${name} must be an integer in ${min}..${max}`,
      });
  };
}

function requiredText(name: string, code: string, minLength: number): Check {
  return (treatment, at, issues) => {
    const value = treatment[name];
    if (typeof value !== 'string' || value.trim().length < minLength)
      issues.push({
        path: `${at}/${name}`,
        code,
        message: `${name} must be a text of at least ${minLength} characters`,
      });
  };
}

const checkReplaceValue: Check = (treatment, at, issues) => {
  const value = treatment['value'];
  const ok =
    value === null ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value)) ||
    (typeof value === 'string' && value.length <= 64);
  if (!ok)
    issues.push({
      path: `${at}/value`,
      code: 'PARAMETER_INVALID',
      message: 'value must be a short constant',
    });
};

const checkMask: Check = (treatment, at, issues) => {
  optionalInt('keepFirst', 0, 64)(treatment, at, issues);
  optionalInt('keepLast', 0, 64)(treatment, at, issues);
  const char = treatment['char'];
  // Repeated, the character must stay that many characters (not a regional indicator or Hangul
  // jamo that fuse in pairs), so a masked value masks to itself (P-16).
  if (
    char !== undefined &&
    (typeof char !== 'string' || graphemes(char).length !== 1 || graphemes(char + char).length !== 2)
  )
    issues.push({ path: `${at}/char`, code: 'PARAMETER_INVALID', message: 'char must be one character' });
  const ratio = treatment['maxRevealRatio'];
  if (ratio !== undefined && (typeof ratio !== 'number' || !(ratio >= 0 && ratio <= 1)))
    issues.push({
      path: `${at}/maxRevealRatio`,
      code: 'PARAMETER_INVALID',
      message: 'maxRevealRatio must be in 0..1',
    });
};

const checkGeneralize: Check = (treatment, at, issues) => {
  const granularity = treatment['granularity'];
  if (granularity === 'band') {
    optionalIntRequired('width', 1, Number.MAX_SAFE_INTEGER)(treatment, at, issues);
    return;
  }
  if (granularity === 'prefix') {
    optionalIntRequired('length', 1, 16)(treatment, at, issues);
    return;
  }
  if (granularity !== 'year' && granularity !== 'month')
    issues.push({
      path: `${at}/granularity`,
      code: 'PARAMETER_INVALID',
      message: 'granularity is year, month, band or prefix',
    });
};

function optionalIntRequired(name: string, min: number, max: number): Check {
  return (treatment, at, issues) => {
    if (treatment[name] === undefined)
      issues.push({ path: `${at}/${name}`, code: 'PARAMETER_MISSING', message: `${name} is required` });
    else optionalInt(name, min, max)(treatment, at, issues);
  };
}

const checkPseudonymize: Check = (treatment, at, issues) => {
  optionalInt('bytes', 16, 32)(treatment, at, issues);
  optionalInt('keyVersion', 1, Number.MAX_SAFE_INTEGER)(treatment, at, issues);
  checkContext(treatment, at, issues);
  const again = treatment['repseudonymize'];
  if (again !== undefined && typeof again !== 'boolean')
    issues.push({
      path: `${at}/repseudonymize`,
      code: 'PARAMETER_INVALID',
      message: 'repseudonymize must be a boolean',
    });
};

function checkContext(treatment: Readonly<Record<string, unknown>>, at: string, issues: PolicyIssue[]): void {
  const context = treatment['context'];
  if (context !== undefined && (typeof context !== 'string' || !/^[A-Za-z0-9._:-]{1,64}$/.test(context)))
    issues.push({
      path: `${at}/context`,
      code: 'PARAMETER_INVALID',
      message: 'context is a name of 1..64 [A-Za-z0-9._:-]',
    });
}

const checkFpe: Check = (treatment, at, issues) => {
  const alphabet = treatment['alphabet'];
  if (typeof alphabet !== 'string' || !Object.prototype.hasOwnProperty.call(FPE_ALPHABETS, alphabet))
    issues.push({
      path: `${at}/alphabet`,
      code: 'PARAMETER_INVALID',
      message: 'alphabet is not a known FPE alphabet',
    });
  checkContext(treatment, at, issues);
};

/** Parameters each operator accepts, and how they are checked. Anything else is refused. */
const OPERATORS: Readonly<Record<Treatment['operator'], { params: readonly string[]; check?: Check }>> = {
  redact: { params: [] },
  nullify: { params: [] },
  replace: { params: ['value'], check: checkReplaceValue },
  mask: { params: ['keepFirst', 'keepLast', 'char', 'maxRevealRatio'], check: checkMask },
  generalize: { params: ['granularity', 'width', 'length'], check: checkGeneralize },
  pseudonymize: { params: ['context', 'bytes', 'keyVersion', 'repseudonymize'], check: checkPseudonymize },
  encrypt: { params: [] },
  fpe: { params: ['alphabet', 'context'], check: checkFpe },
  keep: { params: ['justification'], check: requiredText('justification', 'KEEP_WITHOUT_JUSTIFICATION', 10) },
};

export function checkTreatment(value: unknown, at: string, issues: PolicyIssue[]): value is Treatment {
  const before = issues.length;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    issues.push({
      path: at,
      code: 'TREATMENT_INVALID',
      message: 'a treatment is an object with an operator',
    });
    return false;
  }
  const treatment = value as Readonly<Record<string, unknown>>;
  const operator = treatment['operator'];
  const spec = typeof operator === 'string' ? OPERATORS[operator as Treatment['operator']] : undefined;
  if (spec === undefined || !Object.prototype.hasOwnProperty.call(OPERATORS, operator as string)) {
    issues.push({
      path: `${at}/operator`,
      code: 'OPERATOR_UNKNOWN',
      message: 'operator is not one of the built-in operators',
    });
    return false;
  }
  for (const key of Object.keys(treatment))
    if (key !== 'operator' && !spec.params.includes(key))
      issues.push({
        path: `${at}/${key}`,
        code: 'PARAMETER_UNKNOWN',
        message: `${operator as string} takes no parameter of this name`,
      });
  spec.check?.(treatment, at, issues);
  return issues.length === before;
}
