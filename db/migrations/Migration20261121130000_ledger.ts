import { Migration } from '@mikro-orm/migrations';

export class Migration20261121130000_ledger extends Migration {
  override name = 'Migration20261121130000_ledger';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "wallet" ("id" uuid not null, "tenant_id" uuid not null, "workspace_id" uuid not null, "currency" varchar(3) not null, "name" varchar(200) not null, "status" varchar(20) not null default 'ACTIVE', "limit_per_transfer" bigint null, "limit_daily" bigint null, "created_at" timestamptz not null, primary key ("id"), constraint "wallet_status_check" check ("status" in ('ACTIVE', 'FROZEN')), constraint "wallet_limits_check" check (coalesce("limit_per_transfer", 1) > 0 and coalesce("limit_daily", 1) > 0));`,
    );
    this.addSql(`create index "wallet_workspace_id_index" on "wallet" ("workspace_id");`);
    this.addSql(`create index "wallet_tenant_id_index" on "wallet" ("tenant_id");`);

    this.addSql(
      `create table "ledger_account" ("id" uuid not null, "tenant_id" uuid not null, "currency" varchar(3) not null, "kind" varchar(30) not null, "wallet_id" uuid null, "system_key" varchar(100) null, "debits_posted" bigint not null default 0, "credits_posted" bigint not null default 0, "debits_pending" bigint not null default 0, "credits_pending" bigint not null default 0, "created_at" timestamptz not null, primary key ("id"), constraint "ledger_account_counters_check" check ("debits_posted" >= 0 and "credits_posted" >= 0 and "debits_pending" >= 0 and "credits_pending" >= 0), constraint "ledger_account_wallet_available_check" check ("kind" <> 'WALLET' or "credits_posted" - "debits_posted" - "debits_pending" >= 0), constraint "ledger_account_owner_check" check (("kind" = 'WALLET') = ("wallet_id" is not null) and ("kind" = 'WALLET') = ("system_key" is null)));`,
    );
    this.addSql(
      `alter table "ledger_account" add constraint "ledger_account_wallet_id_unique" unique ("wallet_id");`,
    );
    this.addSql(
      `alter table "ledger_account" add constraint "ledger_account_tenant_id_currency_system_key_unique" unique ("tenant_id", "currency", "system_key");`,
    );

    this.addSql(
      `create table "ledger_transaction" ("id" uuid not null, "tenant_id" uuid not null, "currency" varchar(3) not null, "operation_id" varchar(200) not null, "step" varchar(50) not null, "status" varchar(10) not null, "transfer_id" uuid null, "deposit_id" uuid null, "description" varchar(500) not null, "created_at" timestamptz not null, "resolved_at" timestamptz null, primary key ("id"), constraint "ledger_transaction_status_check" check ("status" in ('PENDING', 'POSTED', 'VOIDED')));`,
    );
    this.addSql(
      `alter table "ledger_transaction" add constraint "ledger_transaction_operation_id_step_unique" unique ("operation_id", "step");`,
    );
    this.addSql(
      `create index "ledger_transaction_transfer_id_index" on "ledger_transaction" ("transfer_id");`,
    );
    this.addSql(
      `create index "ledger_transaction_tenant_id_currency_index" on "ledger_transaction" ("tenant_id", "currency");`,
    );

    this.addSql(`create sequence "ledger_posting_seq";`);
    this.addSql(
      `create table "ledger_entry" ("id" bigserial primary key, "ledger_transaction_id" uuid not null, "account_id" uuid not null, "direction" varchar(6) not null, "amount" bigint not null, "status" varchar(10) not null, "description" varchar(500) not null, "balance_after" bigint null, "posting_seq" bigint null, "created_at" timestamptz not null, "posted_at" timestamptz null, constraint "ledger_entry_amount_check" check ("amount" > 0), constraint "ledger_entry_direction_check" check ("direction" in ('DEBIT', 'CREDIT')), constraint "ledger_entry_status_check" check ("status" in ('PENDING', 'POSTED', 'VOIDED')));`,
    );
    this.addSql(
      `create index "ledger_entry_account_id_created_at_id_index" on "ledger_entry" ("account_id", "created_at", "id");`,
    );
    this.addSql(
      `create index "ledger_entry_ledger_transaction_id_index" on "ledger_entry" ("ledger_transaction_id");`,
    );

    this.addSql(
      `create table "transfer" ("id" uuid not null, "tenant_id" uuid not null, "workspace_id" uuid not null, "source_wallet_id" uuid not null, "destination" jsonb not null, "destination_wallet_id" uuid null, "channel_product_code" varchar(50) not null, "amount" bigint not null, "fee" bigint not null, "currency" varchar(3) not null, "reference" varchar(200) null, "memo" varchar(500) null, "status" varchar(20) not null, "failure_code" varchar(50) null, "failure_message" varchar(500) null, "idempotency_key" varchar(200) not null, "workflow_id" varchar(200) not null, "created_by" uuid null, "submitted_at" timestamptz null, "cancel_requested_at" timestamptz null, "external_reference" varchar(200) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "completed_at" timestamptz null, primary key ("id"), constraint "transfer_status_check" check ("status" in ('PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED')), constraint "transfer_amount_check" check ("amount" > 0 and "fee" >= 0));`,
    );
    this.addSql(
      `create index "transfer_workspace_id_created_at_id_index" on "transfer" ("workspace_id", "created_at", "id");`,
    );
    this.addSql(
      `create index "transfer_tenant_id_created_at_id_index" on "transfer" ("tenant_id", "created_at", "id");`,
    );
    this.addSql(
      `create index "transfer_source_wallet_id_created_at_index" on "transfer" ("source_wallet_id", "created_at");`,
    );

    this.addSql(
      `create table "transfer_event" ("id" bigserial primary key, "transfer_id" uuid not null, "type" varchar(50) not null, "data" jsonb not null default '{}', "created_at" timestamptz not null);`,
    );
    this.addSql(
      `alter table "transfer_event" add constraint "transfer_event_transfer_id_type_unique" unique ("transfer_id", "type");`,
    );

    this.addSql(
      `create table "fee_schedule" ("tenant_id" uuid not null, "channel_product_code" varchar(50) not null, "currency" varchar(3) not null, "fixed" bigint not null, "percent_bps" int not null, "updated_at" timestamptz not null, primary key ("tenant_id", "channel_product_code", "currency"), constraint "fee_schedule_values_check" check ("fixed" >= 0 and "percent_bps" between 0 and 10000));`,
    );

    this.addSql(
      `create table "idempotency_record" ("scope" varchar(100) not null, "key" varchar(200) not null, "request_hash" varchar(64) not null, "resource_id" uuid not null, "refusal_code" varchar(50) null, "refusal_message" varchar(500) null, "created_at" timestamptz not null, primary key ("scope", "key"));`,
    );

    this.addSql(
      `create table "deposit" ("id" uuid not null, "tenant_id" uuid not null, "wallet_id" uuid not null, "amount" bigint not null, "currency" varchar(3) not null, "reference" varchar(200) null, "created_by" uuid null, "created_at" timestamptz not null, primary key ("id"), constraint "deposit_amount_check" check ("amount" > 0));`,
    );
    this.addSql(`create index "deposit_wallet_id_index" on "deposit" ("wallet_id");`);

    this.addSql(
      `alter table "wallet" add constraint "wallet_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id");`,
    );
    this.addSql(
      `alter table "wallet" add constraint "wallet_workspace_id_foreign" foreign key ("workspace_id") references "workspace" ("id");`,
    );
    this.addSql(
      `alter table "ledger_account" add constraint "ledger_account_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id");`,
    );
    this.addSql(
      `alter table "ledger_account" add constraint "ledger_account_wallet_id_foreign" foreign key ("wallet_id") references "wallet" ("id");`,
    );
    this.addSql(
      `alter table "ledger_entry" add constraint "ledger_entry_ledger_transaction_id_foreign" foreign key ("ledger_transaction_id") references "ledger_transaction" ("id");`,
    );
    this.addSql(
      `alter table "ledger_entry" add constraint "ledger_entry_account_id_foreign" foreign key ("account_id") references "ledger_account" ("id");`,
    );
    this.addSql(
      `alter table "transfer" add constraint "transfer_source_wallet_id_foreign" foreign key ("source_wallet_id") references "wallet" ("id");`,
    );
    this.addSql(
      `alter table "transfer_event" add constraint "transfer_event_transfer_id_foreign" foreign key ("transfer_id") references "transfer" ("id");`,
    );
    this.addSql(
      `alter table "fee_schedule" add constraint "fee_schedule_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id");`,
    );
    this.addSql(
      `alter table "deposit" add constraint "deposit_wallet_id_foreign" foreign key ("wallet_id") references "wallet" ("id");`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "deposit" cascade;`);
    this.addSql(`drop table if exists "idempotency_record" cascade;`);
    this.addSql(`drop table if exists "fee_schedule" cascade;`);
    this.addSql(`drop table if exists "transfer_event" cascade;`);
    this.addSql(`drop table if exists "transfer" cascade;`);
    this.addSql(`drop table if exists "ledger_entry" cascade;`);
    this.addSql(`drop sequence if exists "ledger_posting_seq";`);
    this.addSql(`drop table if exists "ledger_transaction" cascade;`);
    this.addSql(`drop table if exists "ledger_account" cascade;`);
    this.addSql(`drop table if exists "wallet" cascade;`);
  }
}
