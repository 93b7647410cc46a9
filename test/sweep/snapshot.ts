// A database of the sweep's own (so parallel test files cannot change it) and a snapshot of every table's
// row count and content hash, to prove refused requests wrote nothing.
import { afterAll, beforeAll, inject } from 'vitest';
import pg from 'pg';
import type { MikroORM } from '@mikro-orm/postgresql';
import { migrate, openOrm } from '../../db/orm';

/**
 * Tables that legitimately change on refused requests:
 * - session: every authenticated request slides the session's idle expiry and stamps last_seen_at;
 * - throttle_counter: throttled routes count every request per client IP, refused or not (that is the point).
 */
export const VOLATILE_TABLES = ['session', 'throttle_counter'];

/**
 * Registers hooks creating a scratch database (migrated) before the test context opens, and dropping it after
 * it closes; fills `env.DATABASE_URL`, to pass as `useTestContext({ env })`. Call before `useTestContext`.
 */
export function useOwnDatabase(env: Record<string, string>): void {
  const shared = new URL(inject('databaseUrl'));
  const name = `${shared.pathname.slice(1)}_${process.pid}_sweep`.slice(0, 63);
  const admin = () => new pg.Client({ connectionString: shared.toString() });
  beforeAll(async () => {
    const client = admin();
    await client.connect();
    await client.query(`drop database if exists "${name}"`);
    await client.query(`create database "${name}"`);
    await client.end();
    const url = new URL(shared);
    url.pathname = `/${name}`;
    env.DATABASE_URL = url.toString();
    const orm = await openOrm(env.DATABASE_URL, { poolMax: 2 });
    await migrate(orm);
    await orm.close();
  });
  afterAll(async () => {
    const client = admin();
    await client.connect();
    await client.query(`drop database if exists "${name}" with (force)`);
    await client.end();
  });
}

export type Snapshot = Record<string, { rows: number; hash: string }>;

/** Row count and md5 of the ordered text of every row, per table (volatile tables excluded). */
export async function snapshot(orm: MikroORM): Promise<Snapshot> {
  const em = orm.em.fork();
  const tables = await em.execute<{ table_name: string }[]>(
    `select table_name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
  );
  const out: Snapshot = {};
  for (const { table_name: table } of tables) {
    if (VOLATILE_TABLES.includes(table)) continue;
    const [row] = await em.execute<{ rows: string; hash: string | null }[]>(
      `select count(*) as rows, md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) as hash
         from "${table}" t`,
    );
    out[table] = { rows: Number(row!.rows), hash: row!.hash ?? '' };
  }
  return out;
}

/** Tables whose count or content differ between two snapshots. */
export function changedTables(before: Snapshot, after: Snapshot): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((t) => before[t]?.rows !== after[t]?.rows || before[t]?.hash !== after[t]?.hash);
}
