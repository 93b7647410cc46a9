import { Migration } from '@mikro-orm/migrations';

/**
 * Wallet flows are read newest first, keyset-paged on the entry id within one account: an index on
 * (account_id, id) answers the first page and a page 1,000 deep with the same short index range scan. It
 * replaces (account_id, created_at, id), which no query orders by.
 */
export class Migration20261208010000_flows_index extends Migration {
  override name = 'Migration20261208010000_flows_index';

  override up(): void {
    this.addSql(`create index "ledger_entry_account_id_id_index" on "ledger_entry" ("account_id", "id");`);
    this.addSql(`drop index if exists "ledger_entry_account_id_created_at_id_index";`);
  }

  override down(): void {
    this.addSql(
      `create index "ledger_entry_account_id_created_at_id_index" on "ledger_entry" ("account_id", "created_at", "id");`,
    );
    this.addSql(`drop index if exists "ledger_entry_account_id_id_index";`);
  }
}
