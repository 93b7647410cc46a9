// Opaque keyset cursors: base64url of the last row's (createdAt, id), newest first.
import { AppError } from '../domain/errors';

export interface Cursor {
  createdAt: string;
  id: string;
}

export function encodeCursor(row: { createdAt: Date | string; id: string | number | bigint }): string {
  const createdAt = row.createdAt instanceof Date ? row.createdAt.toISOString() : row.createdAt;
  return Buffer.from(JSON.stringify([createdAt, String(row.id)])).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): Cursor | null {
  if (!cursor) return null;
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof createdAt !== 'string' || typeof id !== 'string' || Number.isNaN(Date.parse(createdAt))) {
      throw new Error('bad cursor');
    }
    return { createdAt, id };
  } catch {
    throw new AppError('VALIDATION_FAILED', 'the cursor is not valid', {
      errors: [{ path: 'query.cursor', message: 'not a cursor returned by this API' }],
    });
  }
}

/** Given limit+1 fetched rows, the page and the cursor for the next one. */
export function pageFrom<T extends { createdAt: Date | string; id: string | number | bigint }>(
  rows: T[],
  limit: number,
): { rows: T[]; nextCursor: string | null } {
  if (rows.length <= limit) return { rows, nextCursor: null };
  const page = rows.slice(0, limit);
  return { rows: page, nextCursor: encodeCursor(page[page.length - 1]!) };
}
