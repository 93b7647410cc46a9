import { Migration } from '@mikro-orm/migrations';

/**
 * Keyset cursors carry JavaScript dates (millisecond precision); tables paged on (created_at, id) store
 * milliseconds too, so a cursor always matches its row exactly and no row is skipped between pages.
 */
export class Migration20261121160000_cursor_precision extends Migration {
  override name = 'Migration20261121160000_cursor_precision';

  override up(): void {
    this.addSql(`alter table "membership" alter column "created_at" type timestamptz(3);`);
    this.addSql(`alter table "referral_code" alter column "created_at" type timestamptz(3);`);
    this.addSql(`alter table "referral" alter column "registered_at" type timestamptz(3);`);
  }

  override down(): void {
    this.addSql(`alter table "membership" alter column "created_at" type timestamptz;`);
    this.addSql(`alter table "referral_code" alter column "created_at" type timestamptz;`);
    this.addSql(`alter table "referral" alter column "registered_at" type timestamptz;`);
  }
}
