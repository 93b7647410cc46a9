// The entities (db/entities) are the one schema source: the database built by the migrations must match them
// exactly. A column, index, unique or CHECK constraint changed on one side only fails here; the fix is a
// migration generated from the entities (`npm run db:migration:create`, README "Schema changes").
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { MikroORM } from '@mikro-orm/postgresql';
import { openOrm } from '../../db/orm';

let orm: MikroORM;

beforeAll(async () => {
  // The run's database: freshly migrated by test/global-setup.ts with every migration in db/migrations/index.ts.
  orm = await openOrm(inject('databaseUrl'), { poolMax: 1 });
});

afterAll(async () => {
  await orm.close();
});

describe('schema drift', () => {
  it('the migrated database and the entities declare the same schema', async () => {
    const diff = await orm.schema.getUpdateSchemaSQL({ wrap: false, safe: false, dropTables: true });
    expect(diff.trim(), 'entities and migrations disagree; the SQL that would reconcile them:').toBe('');
  });
});
