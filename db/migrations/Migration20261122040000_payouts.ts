import { Migration } from '@mikro-orm/migrations';

/** The sandbox bank's own payout records and every channel verdict we receive (generated from db/entities/payouts.ts). */
export class Migration20261122040000_payouts extends Migration {
  override name = 'Migration20261122040000_payouts';

  override up(): void {
    this.addSql(
      `create table "channel_verdict" ("id" bigserial primary key, "transfer_id" uuid not null, "verdict" varchar(12) not null, "source" varchar(20) not null, "bank_reference" varchar(200) null, "reason" varchar(500) null, "deliveries" int not null default 1, "contradicted_at" timestamptz null, "received_at" timestamptz not null);`,
    );
    this.addSql(
      `alter table "channel_verdict" add constraint "channel_verdict_transfer_id_verdict_unique" unique ("transfer_id", "verdict");`,
    );
    this.addSql(
      `create table "sandbox_bank_payout" ("transfer_id" uuid not null, "tenant_id" uuid not null, "amount" bigint not null, "currency" varchar(3) not null, "account_number" varchar(34) not null, "status" varchar(12) not null, "planned_outcome" varchar(12) not null, "bank_reference" varchar(100) not null, "callback_fault" varchar(12) null, "callbacks_sent" int not null default 0, "received_at" timestamptz not null, "decided_at" timestamptz null, primary key ("transfer_id"));`,
    );
    this.addSql(`create index "sandbox_bank_payout_tenant_id_index" on "sandbox_bank_payout" ("tenant_id");`);
  }

  override down(): void {
    this.addSql(`drop table if exists "channel_verdict" cascade;`);
    this.addSql(`drop table if exists "sandbox_bank_payout" cascade;`);
  }
}
