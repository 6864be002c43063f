/** Path templates: JSON Pointer (RFC 6901) paths (see json-pointer.ts), with `*` standing for any array item. */
export const ITEMS = '*';

export function childPath(parent: string, segment: string): string {
  return `${parent}/${segment}`;
}

export function parentPath(path: string): string | undefined {
  if (path === '') return undefined;
  return path.slice(0, path.lastIndexOf('/'));
}

/** The path and every ancestor, nearest first, ending with the root ''. */
export function selfAndAncestors(path: string): string[] {
  const out: string[] = [];
  for (let current: string | undefined = path; current !== undefined; current = parentPath(current))
    out.push(current);
  return out;
}

const TEMPLATE = /^(\/([^~/]|~[01])*)*$/;

export function isPathTemplate(text: string): boolean {
  return text.startsWith('/') && TEMPLATE.test(text);
}

export type PathGlob = readonly string[];

/** `*` matches one segment, `**` any number (zero included); other segments match literally. */
export function compileGlob(glob: string): PathGlob {
  return glob === '' ? [] : glob.slice(1).split('/');
}

export function globMatches(glob: PathGlob, path: string): boolean {
  return matchFrom(glob, 0, path === '' ? [] : path.slice(1).split('/'), 0);
}

function matchFrom(glob: PathGlob, gi: number, segments: readonly string[], si: number): boolean {
  if (gi === glob.length) return si === segments.length;
  const part = glob[gi];
  if (part === '**') {
    for (let skip = si; skip <= segments.length; skip += 1)
      if (matchFrom(glob, gi + 1, segments, skip)) return true;
    return false;
  }
  if (si === segments.length) return false;
  return (part === '*' || part === segments[si]) && matchFrom(glob, gi + 1, segments, si + 1);
}

/** True when a glob covers the path itself or one of its ancestors (a grant on an object covers its members). */
export function globCovers(glob: PathGlob, path: string): boolean {
  return selfAndAncestors(path).some((candidate) => candidate !== '' && globMatches(glob, candidate));
}
