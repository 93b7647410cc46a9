// Applies pending migrations to DATABASE_URL (npm run db:migrate).
import { migrate, openOrm } from '../db/orm';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is not set (npm start runs an embedded PostgreSQL and migrates it for you)');
  process.exit(1);
}
const orm = await openOrm(url, { poolMax: 2 });
try {
  const applied = await migrate(orm);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
} finally {
  await orm.close();
}
