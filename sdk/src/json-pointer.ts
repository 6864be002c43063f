/**
 * One JSON Pointer reference token (RFC 6901): `~` written `~0`, `/` written `~1`. Every walker
 * of the kernel builds its paths with it; most keys hold neither, and are returned as they are.
 */
export function pointerToken(segment: string | number): string {
  const text = String(segment);
  if (!text.includes('~') && !text.includes('/')) return text;
  return text.replace(/~/g, '~0').replace(/\//g, '~1');
}
