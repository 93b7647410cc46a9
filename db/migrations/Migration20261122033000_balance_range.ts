import { Migration } from '@mikro-orm/migrations';

/**
 * Ledger balances stay within 2^53-1 minor units (the API's amount range): two huge deposits can no longer
 * push a wallet past what every read can answer. Same expression as the LedgerAccount entity's check.
 */
export class Migration20261122033000_balance_range extends Migration {
  override name = 'Migration20261122033000_balance_range';

  override up(): void {
    this.addSql(
      `alter table "ledger_account" add constraint "ledger_account_balance_range" check (` +
        `credits_posted + credits_pending - debits_posted <= 9007199254740991` +
        ` and debits_posted + debits_pending - credits_posted <= 9007199254740991);`,
    );
  }

  override down(): void {
    this.addSql(`alter table "ledger_account" drop constraint "ledger_account_balance_range";`);
  }
}
