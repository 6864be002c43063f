/**
 * The secure profile a registered payload schema must follow, on top of the validator's own guard
 * (depth, enum size): where references may point, which keywords are refused, and the bounds that
 * keep validation linear (RELIABILITY B-04..B-21). Every rule yields a specific code.
 */
import { compileLinearPattern } from '../validation';
import { pointerToken, tokenValue } from '../json-pointer';

export interface ProfileIssue {
  path: string;
  code: string;
  message: string;
}

export const MAX_COMBINATOR_BRANCHES = 32;
const COMBINATORS = ['oneOf', 'anyOf', 'allOf'] as const;
const UNBOUNDED_FORMATS = new Set([
  'email',
  'idn-email',
  'uri',
  'iri',
  'uri-reference',
  'iri-reference',
  'hostname',
]);
const SUPPORTED_DIALECTS = new Set([
  'http://json-schema.org/draft-04/schema',
  'http://json-schema.org/draft-06/schema',
  'http://json-schema.org/draft-07/schema',
  'https://json-schema.org/draft/2019-09/schema',
  'https://json-schema.org/draft/2020-12/schema',
]);
/** Subschema-holding keywords whose values are maps of names to schemas. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);

type Node = Record<string, unknown>;
const isNode = (value: unknown): value is Node =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function refIssue(ref: string, path: string): ProfileIssue | null {
  if (ref.startsWith('#')) return null;
  if (/^[a-z][a-z0-9+.-]*:/i.test(ref) && !/^file:/i.test(ref)) {
    return {
      path,
      code: 'REMOTE_REF_FORBIDDEN',
      message: 'references must point inside the document; nothing is fetched',
    };
  }
  return {
    path,
    code: 'REF_FORBIDDEN',
    message: 'file and relative references are refused; use "#/..." pointers',
  };
}

function checkPattern(pattern: unknown, path: string, issues: ProfileIssue[]): void {
  if (typeof pattern !== 'string') return;
  try {
    new RegExp(pattern, 'u');
  } catch {
    issues.push({ path, code: 'INVALID_PATTERN', message: 'the pattern is not a valid regular expression' });
    return;
  }
  try {
    compileLinearPattern(pattern);
  } catch {
    issues.push({
      path,
      code: 'PATTERN_UNSUPPORTED',
      message: 'look-around and back-references cannot run in linear time; rewrite the pattern',
    });
  }
}

function checkNode(node: Node, path: string, issues: ProfileIssue[]): void {
  for (const keyword of ['$ref', '$dynamicRef', '$recursiveRef'] as const) {
    const ref = node[keyword];
    if (typeof ref === 'string') {
      const issue = refIssue(ref, `${path}/${keyword}`);
      if (issue) issues.push(issue);
    }
  }
  if ('$dynamicRef' in node || '$recursiveRef' in node) {
    const keyword = '$dynamicRef' in node ? '$dynamicRef' : '$recursiveRef';
    issues.push({
      path: `${path}/${keyword}`,
      code: 'UNSUPPORTED_KEYWORD',
      message: `${keyword} is not supported`,
    });
  }
  if ('$data' in node)
    issues.push({
      path: `${path}/$data`,
      code: 'DATA_REF_FORBIDDEN',
      message: '$data references are refused',
    });
  checkPattern(node.pattern, `${path}/pattern`, issues);
  if (isNode(node.patternProperties)) {
    for (const key of Object.keys(node.patternProperties))
      checkPattern(key, `${path}/patternProperties/${pointerToken(key)}`, issues);
  }
  for (const keyword of COMBINATORS) {
    const branches = node[keyword];
    if (Array.isArray(branches) && branches.length > MAX_COMBINATOR_BRANCHES) {
      issues.push({
        path: `${path}/${keyword}`,
        code: 'COMBINATOR_TOO_LARGE',
        message: `${keyword} has more than ${MAX_COMBINATOR_BRANCHES} branches`,
      });
    }
  }
  if (
    typeof node.format === 'string' &&
    UNBOUNDED_FORMATS.has(node.format) &&
    typeof node.maxLength !== 'number'
  ) {
    issues.push({
      path: `${path}/format`,
      code: 'UNBOUNDED_FORMAT',
      message: `format ${node.format} needs a maxLength so validation stays bounded`,
    });
  }
  if (node.uniqueItems === true && typeof node.maxItems !== 'number') {
    issues.push({
      path: `${path}/uniqueItems`,
      code: 'UNBOUNDED_UNIQUE_ITEMS',
      message: 'uniqueItems needs a maxItems',
    });
  }
}

function walk(node: unknown, path: string, depth: number, issues: ProfileIssue[]): void {
  if (depth > 200) return; // the validator's guard reports depth; this only keeps recursion bounded
  if (Array.isArray(node)) {
    node.forEach((item, i) => {
      walk(item, `${path}/${i}`, depth + 1, issues);
    });
    return;
  }
  if (!isNode(node)) return;
  checkNode(node, path, issues);
  for (const [key, child] of Object.entries(node)) {
    if (key === 'enum' || key === 'const' || key === 'examples' || key === 'default' || key === 'x-charter')
      continue;
    if (SCHEMA_MAPS.has(key) && isNode(child)) {
      for (const [name, sub] of Object.entries(child))
        walk(sub, `${path}/${key}/${pointerToken(name)}`, depth + 1, issues);
    } else {
      walk(child, `${path}/${pointerToken(key)}`, depth + 1, issues);
    }
  }
}

function resolvesLocally(root: unknown, ref: string): boolean {
  if (ref === '#') return true;
  if (!ref.startsWith('#/')) return true; // anchors ('#name') are checked by the validator
  let node: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    let key: string;
    try {
      key = tokenValue(decodeURIComponent(raw));
    } catch {
      return false;
    }
    if (typeof node !== 'object' || node === null || !Object.prototype.hasOwnProperty.call(node, key))
      return false;
    node = (node as Record<string, unknown>)[key];
  }
  return true;
}

/** Local pointers that lead nowhere, named so the author can find them (B-09). */
function unresolvedRefs(schema: unknown, issues: ProfileIssue[]): void {
  const visit = (node: unknown, path: string): void => {
    if (Array.isArray(node))
      node.forEach((item, i) => {
        visit(item, `${path}/${i}`);
      });
    else if (isNode(node)) {
      if (path !== '' && typeof node.$id === 'string') return; // a nested base: pointers are relative to it
      if (typeof node.$ref === 'string' && node.$ref.startsWith('#') && !resolvesLocally(schema, node.$ref)) {
        issues.push({
          path: `${path}/$ref`,
          code: 'REF_NOT_FOUND',
          message: `${node.$ref} does not resolve inside the schema`,
        });
      }
      for (const [key, child] of Object.entries(node)) {
        if (key !== 'enum' && key !== 'const' && key !== 'examples' && key !== 'default')
          visit(child, `${path}/${pointerToken(key)}`);
      }
    }
  };
  visit(schema, '');
}

/** Profile issues of a payload schema; paths are JSON Pointers into the schema. */
export function checkSchemaProfile(schema: unknown): ProfileIssue[] {
  const issues: ProfileIssue[] = [];
  if (isNode(schema) && typeof schema.$schema === 'string') {
    const dialect = schema.$schema.replace(/#$/, '');
    if (!SUPPORTED_DIALECTS.has(dialect)) {
      issues.push({
        path: '/$schema',
        code: 'UNSUPPORTED_DIALECT',
        message: 'only JSON Schema draft-04 to 2020-12 are supported',
      });
    }
  }
  walk(schema, '', 0, issues);
  if (issues.length === 0) unresolvedRefs(schema, issues);
  return issues;
}
