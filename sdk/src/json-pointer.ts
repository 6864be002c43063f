/**
 * One JSON Pointer reference token (RFC 6901): `~` written `~0`, `/` written `~1`. Every walker
 * of the kernel builds its paths with it; most keys hold neither, and are returned as they are.
 */
export function pointerToken(segment: string | number): string {
  const text = String(segment);
  if (!text.includes('~') && !text.includes('/')) return text;
  return text.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** A reference token's value: `~1` read as `/`, then `~0` as `~` (RFC 6901, section 4). */
export function tokenValue(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}
