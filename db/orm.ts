// Opens the ORM and applies migrations; every process holds one MikroORM and forks an EntityManager per unit of work.
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { ormConfig } from './mikro-orm.config';

export type { EntityManager };
export type Orm = MikroORM;

export async function openOrm(databaseUrl: string, options: { poolMax?: number } = {}): Promise<MikroORM> {
  return MikroORM.init(ormConfig(databaseUrl, options));
}

export async function migrate(orm: MikroORM): Promise<string[]> {
  const applied = await orm.migrator.up();
  return applied.map((m) => m.name);
}

/** A trivial round trip, for readiness checks. */
export async function pingDatabase(em: EntityManager): Promise<void> {
  await em.execute('select 1');
}
