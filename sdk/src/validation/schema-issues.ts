import type { ErrorObject } from 'ajv';
import { pointerToken } from '../json-pointer';
import { type ValidationIssue } from './issues';

type Params = Record<string, unknown>;

/** A schema-sourced parameter (limit, format, property name from the schema), never payload data. */
function param(params: Params, name: string): string {
  const value = params[name];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

const COUNTED: Readonly<Record<string, [string, string]>> = {
  minLength: ['at least', 'characters'],
  maxLength: ['at most', 'characters'],
  minItems: ['at least', 'items'],
  maxItems: ['at most', 'items'],
  minProperties: ['at least', 'properties'],
  maxProperties: ['at most', 'properties'],
  minContains: ['at least', 'matching items'],
  maxContains: ['at most', 'matching items'],
};

/** Wording per keyword, built only from schema values (limits, formats, names). */
function describe(keyword: string, params: Params): string {
  const counted = COUNTED[keyword];
  if (counted) return `must have ${counted[0]} ${param(params, 'limit')} ${counted[1]}`;
  switch (keyword) {
    case 'required':
      return 'required property is missing';
    case 'type':
      return `must be of type ${param(params, 'type') || (Array.isArray(params.type) ? params.type.join(' or ') : '')}`;
    case 'format':
      return `must be a valid ${param(params, 'format')}`;
    case 'enum':
      return 'must be one of the allowed values';
    case 'const':
      return 'must equal the constant';
    case 'pattern':
      return 'must match the pattern';
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `must be ${param(params, 'comparison')} ${param(params, 'limit')}`;
    case 'multipleOf':
      return `must be a multiple of ${param(params, 'multipleOf')}`;
    case 'additionalProperties':
    case 'unevaluatedProperties':
      return 'property is not allowed';
    case 'uniqueItems':
      return `must not contain duplicate items (indexes ${param(params, 'j')} and ${param(params, 'i')})`;
    case 'dependencies':
    case 'dependentRequired':
      return `property "${param(params, 'missingProperty')}" is required when "${param(params, 'property')}" is present`;
    case 'propertyNames':
      return 'a property name is invalid';
    case 'if':
      return `must match the "${param(params, 'failingKeyword')}" schema`;
    case 'false schema':
      return 'no value is allowed here';
    default:
      return `does not satisfy ${keyword}`;
  }
}

/** Payload keys named by the error go into the path, never into the message. */
function pathOf(error: ErrorObject): string {
  const params = error.params as Params;
  const key =
    error.keyword === 'required'
      ? params.missingProperty
      : error.keyword === 'additionalProperties'
        ? params.additionalProperty
        : error.keyword === 'unevaluatedProperties'
          ? params.unevaluatedProperty
          : undefined;
  return typeof key === 'string' ? `${error.instancePath}/${pointerToken(key)}` : error.instancePath;
}

function codeOf(keyword: string): string {
  if (keyword === 'false schema') return 'SCHEMA_FALSE';
  return `SCHEMA_${keyword.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`;
}

export function schemaErrorsToIssues(errors: readonly ErrorObject[]): ValidationIssue[] {
  return errors.map((error) => ({
    path: pathOf(error),
    code: codeOf(error.keyword),
    message: describe(error.keyword, error.params as Params),
    severity: 'error',
  }));
}
