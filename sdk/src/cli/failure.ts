/** Thrown failures as reports: usage and input errors exit 2; registry, auth and internal errors exit 3. */
import { CharterClientError } from '../client';
import { EXIT, type ExitCode, type Outcome, UsageError } from './command';
import { headlineFor } from './report';

/** Input the registry refused, or asked for something that is not there: the caller's to fix. */
const INPUT_CODES = new Set(['NOT_FOUND', 'INVALID_INPUT', 'CONTRACT_INVALID', 'CONFIG_INVALID']);

function hint(error: CharterClientError): string {
  switch (error.code) {
    case 'CHARTER_UNREACHABLE':
      return ' (check CHARTER_URL and the network)';
    case 'CHARTER_AUTH':
      return ' (check CHARTER_TOKEN and the key’s roles)';
    case 'NOT_FOUND':
      return ' (or not visible to this key)';
    case 'CHARTER_INTERNAL':
      return error.details.errorId ? ` (errorId ${error.details.errorId})` : '';
    default:
      return '';
  }
}

export function failureOutcome(command: string, error: unknown): Outcome {
  let code: string;
  let message: string;
  let exitCode: ExitCode;
  if (error instanceof UsageError) {
    [code, message, exitCode] = [error.code, error.message, EXIT.usage];
  } else if (error instanceof CharterClientError) {
    code = error.code;
    message = `${error.message}${hint(error)}`;
    exitCode = INPUT_CODES.has(error.code) ? EXIT.usage : EXIT.unavailable;
  } else {
    // Unknown failures never print their details: they may quote input.
    [code, message, exitCode] = ['INTERNAL', 'internal error in the charter CLI', EXIT.unavailable];
  }
  return {
    exitCode,
    report: {
      command,
      status: 'error',
      headline: headlineFor('error', `charter ${command}: ${message}`),
      lines: [],
      findings: [],
      data: {},
      error: { code, message },
    },
  };
}
