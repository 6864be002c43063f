import { Field, ObjectType } from '@nestjs/graphql';
import { invalidInput } from './errors/error-codes';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

@ObjectType()
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage: boolean;

  @Field(() => String, { nullable: true, description: 'Pass as `after` to read the next page.' })
  endCursor: string | null;
}

export interface Page<T> {
  nodes: T[];
  pageInfo: PageInfo;
}

/** Keyset cursors: the sort key of the last row, opaque to clients. */
export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, arity: number): string[] {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === arity && key.every((part) => typeof part === 'string')) {
      return key;
    }
  } catch {
    // fall through to the coded error
  }
  throw invalidInput('the cursor is not one this API issued', [
    { path: 'after', code: 'INVALID_CURSOR', message: 'unknown cursor' },
  ]);
}

export function pageSize(first: number | null | undefined): number {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw invalidInput(`first must be from 1 to ${MAX_PAGE_SIZE}`, [
      { path: 'first', code: 'OUT_OF_RANGE', message: `must be from 1 to ${MAX_PAGE_SIZE}` },
    ]);
  }
  return size;
}

/** Rows fetched with limit size+1: the extra row only says whether another page exists. */
export function toPage<T>(rows: T[], size: number, keyOf: (row: T) => readonly string[]): Page<T> {
  const nodes = rows.slice(0, size);
  const last = nodes[nodes.length - 1];
  return {
    nodes,
    pageInfo: {
      hasNextPage: rows.length > size,
      endCursor: last === undefined ? null : encodeCursor(keyOf(last)),
    },
  };
}
