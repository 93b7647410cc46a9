import { Migration } from '@mikro-orm/migrations';

export class Migration20261121100629_foundation extends Migration {
  override name = 'Migration20261121100629_foundation';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "audit_log" ("id" bigserial primary key, "tenant_id" uuid null, "workspace_id" uuid null, "actor_user_id" uuid null, "action" varchar(100) not null, "target_type" varchar(50) null, "target_id" varchar(100) null, "data" jsonb not null default '{}', "ip" varchar(64) null, "request_id" varchar(100) null, "created_at" timestamptz not null);`,
    );
    this.addSql(
      `create index "audit_log_tenant_id_created_at_index" on "audit_log" ("tenant_id", "created_at");`,
    );
    this.addSql(`create index "audit_log_tenant_id_action_index" on "audit_log" ("tenant_id", "action");`);

    this.addSql(
      `create table "pending_credential" ("id" uuid not null, "password_hash" varchar(255) not null, "expires_at" timestamptz not null, "created_at" timestamptz not null, primary key ("id"));`,
    );

    this.addSql(
      `create table "tenant" ("id" uuid not null, "name" varchar(200) not null, "status" varchar(20) not null default 'ACTIVE', "created_at" timestamptz not null, primary key ("id"));`,
    );

    this.addSql(
      `create table "channel_product" ("id" uuid not null, "tenant_id" uuid not null, "code" varchar(50) not null, "name" varchar(200) not null, "type" varchar(30) not null, "currencies" text[] not null default '{}', "status" varchar(20) not null default 'ACTIVE', "min_amount" bigint null, "max_amount" bigint null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "channel_product" add constraint "channel_product_tenant_id_code_unique" unique ("tenant_id", "code");`,
    );

    this.addSql(
      `create table "app_user" ("id" uuid not null, "login_email" varchar(320) not null, "name" varchar(200) not null, "contact_email" varchar(320) null, "password_hash" varchar(255) null, "activated" boolean not null default false, "must_change_password" boolean not null default false, "password_changed_at" timestamptz null, "last_login_at" timestamptz null, "mfa_enabled" boolean not null default false, "totp_secret_enc" varchar(255) null, "totp_pending_secret_enc" varchar(255) null, "totp_last_step" bigint null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "app_user" add constraint "app_user_login_email_unique" unique ("login_email");`,
    );

    this.addSql(
      `create table "workspace" ("id" uuid not null, "tenant_id" uuid not null, "kind" varchar(20) not null, "name" varchar(200) not null, "settings" jsonb not null default '{}', "status" varchar(20) not null default 'ACTIVE', "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`create index "workspace_tenant_id_index" on "workspace" ("tenant_id");`);

    this.addSql(
      `create table "session" ("id" varchar(64) not null, "user_id" uuid not null, "workspace_id" uuid not null, "expires_at" timestamptz not null, "absolute_expires_at" timestamptz not null, "created_at" timestamptz not null, "last_seen_at" timestamptz not null, "ip" varchar(64) null, "user_agent" varchar(500) null, primary key ("id"));`,
    );
    this.addSql(`create index "session_user_id_index" on "session" ("user_id");`);
    this.addSql(`create index "session_workspace_id_index" on "session" ("workspace_id");`);

    this.addSql(
      `create table "role" ("id" uuid not null, "workspace_id" uuid not null, "name" varchar(100) not null, "description" varchar(500) null, "permissions" text[] not null default '{}', "system" boolean not null default false, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "role" add constraint "role_workspace_id_name_unique" unique ("workspace_id", "name");`,
    );

    this.addSql(
      `create table "membership" ("id" uuid not null, "workspace_id" uuid not null, "user_id" uuid not null, "role_id" uuid not null, "status" varchar(20) not null default 'ACTIVE', "receive_chargeback_emails" boolean not null default false, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`create index "membership_user_id_index" on "membership" ("user_id");`);
    this.addSql(`create index "membership_role_id_index" on "membership" ("role_id");`);
    this.addSql(
      `alter table "membership" add constraint "membership_workspace_id_user_id_unique" unique ("workspace_id", "user_id");`,
    );

    this.addSql(
      `alter table "channel_product" add constraint "channel_product_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id");`,
    );

    this.addSql(
      `alter table "workspace" add constraint "workspace_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id");`,
    );

    this.addSql(
      `alter table "session" add constraint "session_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "session" add constraint "session_workspace_id_foreign" foreign key ("workspace_id") references "workspace" ("id") on delete cascade;`,
    );

    this.addSql(
      `alter table "role" add constraint "role_workspace_id_foreign" foreign key ("workspace_id") references "workspace" ("id") on delete cascade;`,
    );

    this.addSql(
      `alter table "membership" add constraint "membership_workspace_id_foreign" foreign key ("workspace_id") references "workspace" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "membership" add constraint "membership_user_id_foreign" foreign key ("user_id") references "app_user" ("id");`,
    );
    this.addSql(
      `alter table "membership" add constraint "membership_role_id_foreign" foreign key ("role_id") references "role" ("id");`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "channel_product" drop constraint "channel_product_tenant_id_foreign";`);
    this.addSql(`alter table "workspace" drop constraint "workspace_tenant_id_foreign";`);
    this.addSql(`alter table "session" drop constraint "session_user_id_foreign";`);
    this.addSql(`alter table "membership" drop constraint "membership_user_id_foreign";`);
    this.addSql(`alter table "session" drop constraint "session_workspace_id_foreign";`);
    this.addSql(`alter table "role" drop constraint "role_workspace_id_foreign";`);
    this.addSql(`alter table "membership" drop constraint "membership_workspace_id_foreign";`);
    this.addSql(`alter table "membership" drop constraint "membership_role_id_foreign";`);

    this.addSql(`drop table if exists "audit_log" cascade;`);
    this.addSql(`drop table if exists "pending_credential" cascade;`);
    this.addSql(`drop table if exists "tenant" cascade;`);
    this.addSql(`drop table if exists "channel_product" cascade;`);
    this.addSql(`drop table if exists "app_user" cascade;`);
    this.addSql(`drop table if exists "workspace" cascade;`);
    this.addSql(`drop table if exists "session" cascade;`);
    this.addSql(`drop table if exists "role" cascade;`);
    this.addSql(`drop table if exists "membership" cascade;`);
  }
}
