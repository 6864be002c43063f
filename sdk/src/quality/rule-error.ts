/** A quality rule that cannot be compiled (bad pattern, bad bound, bad CEL); caught and coded. */
export class QualityRuleError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'QualityRuleError';
  }
}

export function ruleError(code: string, message: string): QualityRuleError {
  return new QualityRuleError(code, message);
}
