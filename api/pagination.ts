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

/**
 * What cursors carry: `Date#toISOString()` (milliseconds) or PostgreSQL's microsecond UTC rendering
 * (`cursorTimestamp`), in a year PostgreSQL stores (0001-9999).
 */
const CURSOR_TIME = /^(?!0000)\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
/** Row IDs are UUIDs or positive bigint serials. */
const CURSOR_ID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[1-9][0-9]{0,17})$/i;

function isCursorTime(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    CURSOR_TIME.test(value) &&
    !Number.isNaN(Date.parse(value)) &&
    new Date(value).toISOString().slice(0, 19) === value.slice(0, 19) // no Feb 30, no 24:00
  );
}

/** The cursor's (createdAt, id), validated in full: a hand-made cursor is 400, never a database error. */
export function decodeCursor(cursor: string | undefined): Cursor | null {
  if (!cursor) return null;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = null;
  }
  const [createdAt, id] = Array.isArray(decoded) && decoded.length === 2 ? decoded : [];
  if (!isCursorTime(createdAt) || typeof id !== 'string' || !CURSOR_ID.test(id)) {
    throw new AppError('VALIDATION_FAILED', 'the cursor is not valid', {
      errors: [{ path: 'query.cursor', message: 'not a cursor returned by this API' }],
    });
  }
  return { createdAt, id };
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

/** The `{ data, nextCursor }` answer from limit+1 fetched rows, each rendered. */
export function pageAnswer<T extends { createdAt: Date | string; id: string | number | bigint }, U>(
  rows: T[],
  limit: number,
  render: (row: T) => U,
): { data: U[]; nextCursor: string | null } {
  const page = pageFrom(rows, limit);
  return { data: page.rows.map((row) => render(row)), nextCursor: page.nextCursor };
}
