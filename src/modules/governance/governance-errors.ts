import { AnonymizationError, KeyError } from '@charter/sdk';
import { DomainError } from '../../common/errors/error-codes';

/**
 * A kernel failure as the API shows it: the whole request fails, nothing is released. A missing
 * key is UNAVAILABLE (an operator can fix it); a value the operator cannot take is INVALID_INPUT.
 * Messages carry codes and path templates only, never values.
 */
export function kernelFailure(error: unknown, where: string): DomainError {
  if (error instanceof AnonymizationError) {
    const code = error.code === 'KEY_UNAVAILABLE' ? 'UNAVAILABLE' : 'INVALID_INPUT';
    const path = error.path === undefined ? where : `${where}${error.path}`;
    return new DomainError(code, `anonymization failed: ${error.code}`, [
      { path, code: error.code, message: error.message },
    ]);
  }
  if (error instanceof KeyError)
    return new DomainError('UNAVAILABLE', `key unavailable: ${error.code}`, [
      { path: where, code: 'KEY_UNAVAILABLE', message: error.code },
    ]);
  throw error;
}
