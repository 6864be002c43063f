const MAX_DEPTH = 256;

/** A contract document without its `policy` member and without any `x-charter` annotation. */
export function withoutGovernance(document: unknown): unknown {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return document;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(document as Record<string, unknown>))
    if (key !== 'policy') copy[key] = key === 'schema' ? stripAnnotations(value, 0) : value;
  return copy;
}

function stripAnnotations(value: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((item) => stripAnnotations(item, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value as Record<string, unknown>))
    if (key !== 'x-charter') copy[key] = stripAnnotations(member, depth + 1);
  return copy;
}
