// The auth throttle's counters: the only code that reads and writes `throttle_counter`.
import type { EntityManager } from '@mikro-orm/postgresql';
import { pgTextArray } from '../sql';

/** Counts one request in the key's one-minute window; answers the hits so far and the ms until the window ends. */
export async function countRequestInWindow(
  em: EntityManager,
  key: string,
): Promise<{ hits: number; windowEndsInMs: number }> {
  const [row] = await em.execute<{ hits: number; retry_ms: number }[]>(
    `insert into throttle_counter (key, window_started_at, hits, blocked_until, updated_at)
     values (?, now(), 1, null, now())
     on conflict (key) do update set
       hits = case when throttle_counter.window_started_at <= now() - interval '1 minute' then 1
                   else throttle_counter.hits + 1 end,
       window_started_at = case when throttle_counter.window_started_at <= now() - interval '1 minute' then now()
                   else throttle_counter.window_started_at end,
       updated_at = now()
     returning hits, extract(epoch from (window_started_at + interval '1 minute' - now())) * 1000 as retry_ms`,
    [key],
  );
  return { hits: Number(row?.hits ?? 0), windowEndsInMs: Number(row?.retry_ms ?? 0) };
}

/** The longest block still running among `keys`, in ms (0: none is blocked). */
export async function longestBlockMs(em: EntityManager, keys: readonly string[]): Promise<number> {
  if (!keys.length) return 0;
  const rows = await em.execute<{ retry_ms: number }[]>(
    `select extract(epoch from (blocked_until - now())) * 1000 as retry_ms
       from throttle_counter where key = any(?::text[]) and blocked_until > now()`,
    [pgTextArray(keys)],
  );
  return Math.max(0, ...rows.map((r) => Number(r.retry_ms)));
}

/** Counts one failure; the count starts again after `resetAfterMs` without one. Answers the failures so far. */
export async function countFailure(em: EntityManager, key: string, resetAfterMs: number): Promise<number> {
  const [row] = await em.execute<{ hits: number }[]>(
    `insert into throttle_counter (key, window_started_at, hits, blocked_until, updated_at)
     values (?, now(), 1, null, now())
     on conflict (key) do update set
       hits = case when throttle_counter.updated_at <= now() - ?::float8 * interval '1 millisecond' then 1
                   else throttle_counter.hits + 1 end,
       window_started_at = case when throttle_counter.updated_at <= now() - ?::float8 * interval '1 millisecond'
                   then now() else throttle_counter.window_started_at end,
       updated_at = now()
     returning hits`,
    [key, resetAfterMs, resetAfterMs],
  );
  return Number(row?.hits ?? 0);
}

export async function blockKeyFor(em: EntityManager, key: string, delayMs: number): Promise<void> {
  await em.execute(
    `update throttle_counter set blocked_until = now() + ?::float8 * interval '1 millisecond' where key = ?`,
    [delayMs, key],
  );
}

export async function deleteThrottleKey(em: EntityManager, key: string): Promise<void> {
  await em.execute('delete from throttle_counter where key = ?', [key]);
}

/** Deletes up to `limit` counters untouched since `idleBefore` and not blocking anyone; answers how many. */
export async function deleteIdleThrottleCounters(
  em: EntityManager,
  idleBefore: Date,
  limit: number,
): Promise<number> {
  const res = await em.execute<{ affectedRows: number }>(
    `delete from throttle_counter where key in (
       select key from throttle_counter
        where updated_at < ? and (blocked_until is null or blocked_until < now()) limit ?)`,
    [idleBefore, limit],
    'run',
  );
  return res.affectedRows;
}
