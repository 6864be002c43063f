import { AnonymizationError } from '../errors';
import { type Treatment } from '../policy-types';
import { type ApplyOperator } from './drop';

type GeneralizeTreatment = Extract<Treatment, { operator: 'generalize' }>;

// A year, a year-month or an ISO date/date-time; accepting the generalized forms keeps the operator idempotent.
const YEAR = /^(\d{4})(?:-\d{2}(?:-\d{2}(?:[T ].*)?)?)?$/s;
const MONTH = /^(\d{4}-(?:0[1-9]|1[0-2]))(?:-\d{2}(?:[T ].*)?)?$/s;

/** Date → year or month; number → lower bound of its band ([30, 40) → 30); postcode → prefix. */
export function compileGeneralize(treatment: GeneralizeTreatment, path: string): ApplyOperator {
  const invalid = (what: string) =>
    new AnonymizationError('OPERATOR_INPUT_INVALID', `generalize expects ${what}`, path);
  switch (treatment.granularity) {
    case 'year':
    case 'month': {
      const pattern = treatment.granularity === 'year' ? YEAR : MONTH;
      return (value) => {
        if (value === null) return null;
        const match = typeof value === 'string' ? pattern.exec(value) : null;
        if (match?.[1] === undefined) throw invalid(`an ISO date for ${treatment.granularity}`);
        return match[1];
      };
    }
    case 'band': {
      const width = treatment.width;
      return (value) => {
        if (value === null) return null;
        // Beyond 2^53 a band's lower bound is no longer exact, so banding it again could move it.
        if (typeof value !== 'number' || !(Math.abs(value) <= Number.MAX_SAFE_INTEGER))
          throw invalid('a number within ±2^53 for a band');
        return Math.floor(value / width) * width;
      };
    }
    case 'prefix': {
      const length = treatment.length;
      return (value) => {
        if (value === null) return null;
        if (typeof value !== 'string') throw invalid('a string for a prefix');
        return Array.from(value.replace(/\s+/g, '')).slice(0, length).join('');
      };
    }
  }
}
