import { type Treatment } from '../policy-types';
import { type ApplyOperator, DROP } from './drop';
import { cloneJson } from './clone-json';

export const redact: ApplyOperator = () => DROP;
export const nullify: ApplyOperator = () => null;
export const release: ApplyOperator = (value) => cloneJson(value);

export function compileReplace(treatment: Extract<Treatment, { operator: 'replace' }>): ApplyOperator {
  const constant = treatment.value;
  return () => constant;
}
