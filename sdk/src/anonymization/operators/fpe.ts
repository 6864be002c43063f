import type { FF1 as Ff1Factory } from '@noble/ciphers/ff1.js' with { 'resolution-mode': 'import' };
import { AnonymizationError } from '../errors';
import { FPE_ALPHABETS, type FpeAlphabet } from '../policy-types';
import { type ApplyOperator } from './drop';

// @noble/ciphers is ESM-only; Node >= 20.19 loads it through require(esm).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- ESM-only package loaded through require(esm)
const { FF1 } = require('@noble/ciphers/ff1.js') as { FF1: typeof Ff1Factory };

/** FF1 domains below radix^length = one million are refused (NIST SP 800-38G Rev. 1 draft). */
export const FPE_MIN_DOMAIN = 1_000_000;

export interface FpeCipher {
  encrypt(text: string): string;
  decrypt(text: string): string;
}

/** FF1 (NIST SP 800-38G) over a named alphabet with AES-256; the tweak binds the field or context. */
export function createFpeCipher(
  key: Uint8Array,
  alphabetName: FpeAlphabet,
  tweak: string,
  path: string,
): FpeCipher {
  const alphabet = FPE_ALPHABETS[alphabetName];
  const radix = alphabet.length;
  const cipher = FF1(radix, key, Buffer.from(tweak, 'utf8'));
  const toDigits = (text: string): number[] => {
    const digits = Array.from(text, (char) => alphabet.indexOf(char));
    if (digits.some((digit) => digit < 0))
      throw new AnonymizationError(
        'OPERATOR_INPUT_INVALID',
        'value has characters outside the FPE alphabet',
        path,
      );
    if (radix ** digits.length < FPE_MIN_DOMAIN)
      throw new AnonymizationError('FPE_DOMAIN_TOO_SMALL', 'value domain is under one million', path);
    return digits;
  };
  const fromDigits = (digits: readonly number[]): string =>
    digits.map((digit) => alphabet.charAt(digit)).join('');
  return {
    encrypt: (text) => fromDigits(cipher.encrypt(toDigits(text))),
    decrypt: (text) => fromDigits(cipher.decrypt(toDigits(text))),
  };
}

/** Strings only (the format is the point); null stays null. */
export function compileFpe(cipher: FpeCipher, path: string): ApplyOperator {
  return (value) => {
    if (value === null) return null;
    if (typeof value !== 'string')
      throw new AnonymizationError('OPERATOR_TYPE_MISMATCH', 'fpe applies to strings', path);
    return cipher.encrypt(value);
  };
}
