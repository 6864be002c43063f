/** A LIKE/ILIKE pattern matching `text` anywhere, with the user's wildcards escaped. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
