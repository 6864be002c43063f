import { isValidName, NAME_MAX_LENGTH, NAME_MIN_LENGTH } from '@charter/sdk';
import { type ErrorDetail, invalidInput } from './errors/error-codes';

/** Collects input problems so one response lists them all. */
export class InputProblems {
  private readonly problems: ErrorDetail[] = [];

  name(path: string, value: string): this {
    if (!isValidName(value)) {
      this.problems.push({
        path,
        code: 'INVALID_NAME',
        message: `must be ${NAME_MIN_LENGTH}-${NAME_MAX_LENGTH} lower-case letters, digits or single dashes, starting with a letter`,
      });
    }
    return this;
  }

  text(path: string, value: string | null | undefined, max: number, required = false): this {
    if (value === null || value === undefined) {
      if (required) this.problems.push({ path, code: 'REQUIRED', message: 'is required' });
      return this;
    }
    if (required && value.trim() === '')
      this.problems.push({ path, code: 'REQUIRED', message: 'must not be blank' });
    if (value.length > max)
      this.problems.push({ path, code: 'TOO_LONG', message: `must be at most ${max} characters` });
    return this;
  }

  check(condition: boolean, problem: ErrorDetail): this {
    if (!condition) this.problems.push(problem);
    return this;
  }

  /** Throws INVALID_INPUT with every problem found, or returns quietly. */
  throwIfAny(): void {
    if (this.problems.length > 0) throw invalidInput('the input is invalid', this.problems);
  }
}
