// Keyset pages, newest first on (time, id): the one query shape every store's list uses.

/** Where the previous page ended (a decoded cursor), and how many rows a page has. */
export interface KeysetPage {
  after: { createdAt: string; id: string } | null;
  limit: number;
}

/** The keyset columns: a time expression and an id, compared as `idType`. */
export interface KeysetKey {
  time: string;
  id: string;
  idType?: 'uuid' | 'bigint';
}

/** One `where` condition with its parameters; a falsy entry is an absent filter. */
export type Condition = readonly [sql: string, ...params: unknown[]];

const CREATED_AT: KeysetKey = { time: 'created_at', id: 'id' };

/** A timestamp column as an ISO string with microseconds, so keyset cursors match rows exactly. */
export function cursorTimestamp(column: string): string {
  return `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/**
 * `select` (up to and including its `from`/joins) with the conditions, the rows after the cursor, newest
 * first, and `limit + 1` rows so the caller can tell whether more follow.
 */
export function keysetQuery(
  select: string,
  conditions: readonly (Condition | false | null | undefined | '')[],
  page: KeysetPage,
  key: KeysetKey = CREATED_AT,
): { sql: string; params: unknown[] } {
  const present = conditions.filter((c): c is Condition => Boolean(c));
  if (page.after) {
    present.push([
      `(${key.time}, ${key.id}) < (?::timestamptz, ?::${key.idType ?? 'uuid'})`,
      page.after.createdAt,
      page.after.id,
    ]);
  }
  const where = present.length ? ` where ${present.map(([sql]) => sql).join(' and ')}` : '';
  return {
    sql: `${select}${where} order by ${key.time} desc, ${key.id} desc limit ?`,
    params: [...present.flatMap(([, ...params]) => params), page.limit + 1],
  };
}
