// MikroORM configuration shared by the API, the worker, the migration script and the CLI.
import { defineConfig } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { entities } from './entities/index';
import { migrations } from './migrations/index';

export function ormConfig(databaseUrl: string, options: { poolMax?: number; debug?: boolean } = {}) {
  return defineConfig({
    clientUrl: databaseUrl,
    entities,
    extensions: [Migrator],
    debug: options.debug ?? false,
    pool: { min: 0, max: options.poolMax ?? 10 },
    migrations: {
      path: 'db/migrations',
      pathTs: 'db/migrations',
      migrationsList: migrations,
      snapshot: false,
      transactional: true,
      allOrNothing: true,
      emit: 'ts',
    },
    // Entities are plain data here: no implicit lazy loading, no surprise flushes.
    forceUndefined: false,
    ignoreUndefinedInQuery: true,
  });
}

export default ormConfig(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/portal');
