import { AnonymizationError } from '../errors';
import { type Treatment } from '../policy-types';
import { type ApplyOperator } from './drop';

type MaskTreatment = Extract<Treatment, { operator: 'mask' }>;

const PRINTABLE_ASCII = /^[\u0020-\u007e]*$/;
const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** User-perceived characters: an emoji sequence or a letter with combining marks is one unit. */
export function graphemes(text: string): string[] {
  if (PRINTABLE_ASCII.test(text)) return text.split('');
  return Array.from(graphemeSegmenter.segment(text), (part) => part.segment);
}

/**
 * Keeps the first/last N characters and masks the rest, one mask character per character. When the
 * reveal would cover the whole value or exceed `maxRevealRatio` of it, everything is masked.
 * Masking a masked value changes nothing (P-16): where a kept character would fuse with a mask
 * character into one grapheme (a prepend mark before it, a combining mark after it), re-masking
 * would count differently, so such a value is masked whole instead.
 */
export function maskText(text: string, treatment: MaskTreatment): string {
  const masked = maskOnce(text, treatment);
  if (PRINTABLE_ASCII.test(masked) || maskOnce(masked, treatment) === masked) return masked;
  return (treatment.char ?? '*').repeat(graphemes(text).length);
}

function maskOnce(text: string, treatment: MaskTreatment): string {
  const keepFirst = treatment.keepFirst ?? 0;
  const keepLast = treatment.keepLast ?? 0;
  const char = treatment.char ?? '*';
  const ratio = treatment.maxRevealRatio ?? 0.5;
  // Printable ASCII: one code unit per character, so plain slicing is exact (and much faster).
  const units = PRINTABLE_ASCII.test(text) ? undefined : graphemes(text);
  const length = units === undefined ? text.length : units.length;
  const reveal = keepFirst + keepLast;
  if (reveal === 0 || reveal >= length || reveal > Math.floor(length * ratio)) return char.repeat(length);
  const head = units === undefined ? text.slice(0, keepFirst) : units.slice(0, keepFirst).join('');
  const tail =
    keepLast === 0
      ? ''
      : units === undefined
        ? text.slice(length - keepLast)
        : units.slice(length - keepLast).join('');
  return head + char.repeat(length - reveal) + tail;
}

/** Strings and numbers (as their decimal text) are masked; null stays null; other types fail. */
export function compileMask(treatment: MaskTreatment, path: string): ApplyOperator {
  return (value) => {
    if (value === null) return null;
    if (typeof value === 'string') return maskText(value, treatment);
    if (typeof value === 'number') return maskText(String(value), treatment);
    throw new AnonymizationError('OPERATOR_TYPE_MISMATCH', 'mask applies to strings and numbers', path);
  };
}
