import { Migration } from '@mikro-orm/migrations';

/** Partners, referral codes, consumers and referrals, bulk onboarding batches. */
export class Migration20261121150000_partners extends Migration {
  override name = 'Migration20261121150000_partners';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "partner" ("id" uuid not null, "tenant_id" uuid not null, "workspace_id" uuid null, "name" varchar(200) not null, "status" varchar(20) not null default 'PROVISIONING', "admin_user_id" uuid null, "admin_email" varchar(320) not null, "admin_name" varchar(200) not null, "currencies" text[] not null default '{}', "failure_reason" varchar(1000) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "partner" add constraint "partner_workspace_id_unique" unique ("workspace_id");`,
    );
    this.addSql(
      `create index "partner_tenant_id_created_at_id_index" on "partner" ("tenant_id", "created_at", "id");`,
    );
    this.addSql(
      `create unique index "partner_admin_email_live_unique" on "partner" (lower("admin_email")) where "status" <> 'FAILED';`,
    );
    this.addSql(
      `create table "referral_code" ("id" uuid not null, "tenant_id" uuid not null, "partner_id" uuid null, "code" varchar(32) not null, "status" varchar(20) not null default 'ACTIVE', "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "referral_code_tenant_id_created_at_id_index" on "referral_code" ("tenant_id", "created_at", "id");`,
    );
    this.addSql(`create unique index "referral_code_code_unique" on "referral_code" (lower("code"));`);
    this.addSql(
      `create unique index "referral_code_partner_unique" on "referral_code" ("partner_id") where "partner_id" is not null;`,
    );
    this.addSql(
      `create table "consumer" ("id" uuid not null, "tenant_id" uuid not null, "email" varchar(320) not null, "name" varchar(200) not null, "password_hash" varchar(255) not null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "consumer" add constraint "consumer_tenant_id_email_unique" unique ("tenant_id", "email");`,
    );
    this.addSql(
      `create table "referral" ("id" uuid not null, "tenant_id" uuid not null, "consumer_id" uuid not null, "referral_code_id" uuid not null, "partner_id" uuid null, "registered_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "referral" add constraint "referral_consumer_id_unique" unique ("consumer_id");`,
    );
    this.addSql(`create index "referral_referral_code_id_index" on "referral" ("referral_code_id");`);
    this.addSql(
      `create index "referral_partner_id_registered_at_id_index" on "referral" ("partner_id", "registered_at", "id");`,
    );
    this.addSql(
      `create table "onboarding_batch" ("id" uuid not null, "tenant_id" uuid not null, "workspace_id" uuid not null, "created_by" uuid null, "status" varchar(20) not null default 'RUNNING', "total" int not null, "created_at" timestamptz not null, "completed_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(
      `create index "onboarding_batch_tenant_id_created_at_id_index" on "onboarding_batch" ("tenant_id", "created_at", "id");`,
    );
    this.addSql(
      `create table "onboarding_batch_row" ("batch_id" uuid not null, "row_number" int not null, "input" jsonb not null, "status" varchar(20) not null default 'PENDING', "partner_id" uuid null, "error" varchar(1000) null, "updated_at" timestamptz not null, primary key ("batch_id", "row_number"));`,
    );
    this.addSql(
      `create index "onboarding_batch_row_batch_id_status_row_number_index" on "onboarding_batch_row" ("batch_id", "status", "row_number");`,
    );
    this.addSql(
      `alter table "partner" add constraint "partner_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id");`,
    );
    this.addSql(
      `alter table "partner" add constraint "partner_workspace_id_foreign" foreign key ("workspace_id") references "workspace" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "partner" add constraint "partner_admin_user_id_foreign" foreign key ("admin_user_id") references "app_user" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "referral_code" add constraint "referral_code_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id");`,
    );
    this.addSql(
      `alter table "referral_code" add constraint "referral_code_partner_id_foreign" foreign key ("partner_id") references "partner" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "consumer" add constraint "consumer_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id");`,
    );
    this.addSql(
      `alter table "referral" add constraint "referral_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id");`,
    );
    this.addSql(
      `alter table "referral" add constraint "referral_consumer_id_foreign" foreign key ("consumer_id") references "consumer" ("id");`,
    );
    this.addSql(
      `alter table "referral" add constraint "referral_referral_code_id_foreign" foreign key ("referral_code_id") references "referral_code" ("id");`,
    );
    this.addSql(
      `alter table "referral" add constraint "referral_partner_id_foreign" foreign key ("partner_id") references "partner" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "onboarding_batch" add constraint "onboarding_batch_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id");`,
    );
    this.addSql(
      `alter table "onboarding_batch" add constraint "onboarding_batch_workspace_id_foreign" foreign key ("workspace_id") references "workspace" ("id");`,
    );
    this.addSql(
      `alter table "onboarding_batch_row" add constraint "onboarding_batch_row_batch_id_foreign" foreign key ("batch_id") references "onboarding_batch" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "onboarding_batch_row" add constraint "onboarding_batch_row_partner_id_foreign" foreign key ("partner_id") references "partner" ("id") on delete set null;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "onboarding_batch_row" cascade;`);
    this.addSql(`drop table if exists "onboarding_batch" cascade;`);
    this.addSql(`drop table if exists "referral" cascade;`);
    this.addSql(`drop table if exists "consumer" cascade;`);
    this.addSql(`drop table if exists "referral_code" cascade;`);
    this.addSql(`drop table if exists "partner" cascade;`);
  }
}
