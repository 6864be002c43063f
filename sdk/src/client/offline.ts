import { readFileSync } from 'node:fs';
import { prepareContract } from '../contract';
import { type ContractValidator, ContractCompileError, createValidator } from '../validation';
import { CharterClientError } from './errors';

/**
 * A validator from a local contract file, checked exactly as the registry checks a publish
 * (prepareContract), so a file the registry would refuse is refused here too.
 */
export function offlineValidator(path: string, options: { clock?: () => number } = {}): ContractValidator {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new CharterClientError('CONFIG_INVALID', 'the offline contract file cannot be read');
  }
  return validatorFromText(text, options.clock);
}

export function validatorFromText(text: string, clock?: () => number): ContractValidator {
  const prepared = prepareContract(text);
  if (!prepared.ok)
    throw new CharterClientError('CONTRACT_INVALID', 'the contract is not a valid contract document', {
      issues: prepared.issues,
    });
  return compiled(prepared.contract.document, undefined, clock);
}

/** Compiles without the shared cache: the client keeps its own, keyed by registry product and version. */
export function compiled(
  document: unknown,
  identity?: { id: string; version: number },
  clock?: () => number,
): ContractValidator {
  try {
    return createValidator(document, {
      cache: false,
      ...(identity ? { identity } : {}),
      ...(clock ? { clock } : {}),
    });
  } catch (error) {
    if (!(error instanceof ContractCompileError)) throw error;
    throw new CharterClientError('CONTRACT_INVALID', 'the contract does not compile', {
      issues: error.issues,
    });
  }
}
