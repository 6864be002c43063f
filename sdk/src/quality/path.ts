/**
 * Compiled JSON Pointer with `*` wildcards over arrays. Lookups use own properties only, so a path
 * such as `/constructor` never reaches Object.prototype.
 */
export interface PayloadPath {
  readonly pointer: string;
  readonly wildcards: number;
  /** Calls `visit` for every match; `indexes` holds the array index taken at each wildcard. */
  forEach(root: unknown, visit: (value: unknown, indexes: readonly number[]) => void): void;
  /** The value at this path with wildcards bound to `indexes` (undefined when missing). */
  at(root: unknown, indexes: readonly number[]): unknown;
  /** The concrete pointer with wildcards replaced by `indexes`. */
  concrete(indexes: readonly number[]): string;
}

export class PathSyntaxError extends Error {
  readonly code = 'QUALITY_PATH_INVALID';
}

const WILDCARD = Symbol('wildcard');
type Segment = string | typeof WILDCARD;

export function compilePath(pointer: string): PayloadPath {
  if (pointer !== '' && !pointer.startsWith('/'))
    throw new PathSyntaxError('a path must be "" or start with "/"');
  const raw = pointer === '' ? [] : pointer.slice(1).split('/');
  const segments: Segment[] = raw.map((s) =>
    s === '*' ? WILDCARD : s.replace(/~1/g, '/').replace(/~0/g, '~'),
  );
  const wildcards = segments.filter((s) => s === WILDCARD).length;
  return {
    pointer,
    wildcards,
    forEach:
      wildcards === 1
        ? singleWildcard(segments)
        : (root, visit) => {
            walk(segments, 0, root, [], visit);
          },
    at: (root, indexes) => valueAt(segments, root, indexes),
    concrete: (indexes) => concretePointer(raw, indexes),
  };
}

export function child(node: unknown, key: string): unknown {
  if (typeof node !== 'object' || node === null) return undefined;
  if (Array.isArray(node)) return /^(0|[1-9]\d*)$/.test(key) ? (node[Number(key)] as unknown) : undefined;
  return Object.hasOwn(node, key) ? (node as Record<string, unknown>)[key] : undefined;
}

function follow(segments: readonly Segment[], node: unknown): unknown {
  let current = node;
  for (const segment of segments) current = child(current, segment as string);
  return current;
}

/** The common one-wildcard shape (items of one array) without recursion or per-match allocation. */
function singleWildcard(segments: readonly Segment[]): PayloadPath['forEach'] {
  const star = segments.indexOf(WILDCARD);
  const prefix = segments.slice(0, star);
  const suffix = segments.slice(star + 1);
  return (root, visit) => {
    const items = follow(prefix, root);
    if (!Array.isArray(items)) return;
    const indexes = [0];
    for (let index = 0; index < items.length; index++) {
      indexes[0] = index;
      visit(follow(suffix, items[index]), indexes);
    }
  };
}

function walk(
  segments: readonly Segment[],
  from: number,
  node: unknown,
  indexes: number[],
  visit: (value: unknown, indexes: readonly number[]) => void,
): void {
  let current = node;
  for (let i = from; i < segments.length; i++) {
    const segment = segments[i];
    if (segment !== WILDCARD) {
      current = child(current, segment as string);
      continue;
    }
    if (!Array.isArray(current)) return;
    for (let index = 0; index < current.length; index++) {
      indexes.push(index);
      walk(segments, i + 1, current[index], indexes, visit);
      indexes.pop();
    }
    return;
  }
  visit(current, indexes);
}

function valueAt(segments: readonly Segment[], root: unknown, indexes: readonly number[]): unknown {
  let current = root;
  let wildcard = 0;
  for (const segment of segments) {
    const key = segment === WILDCARD ? String(indexes[wildcard++]) : segment;
    current = child(current, key);
    if (current === undefined) return undefined;
  }
  return current;
}

function concretePointer(raw: readonly string[], indexes: readonly number[]): string {
  let wildcard = 0;
  let pointer = '';
  for (const segment of raw) pointer += `/${segment === '*' ? String(indexes[wildcard++]) : segment}`;
  return pointer;
}
