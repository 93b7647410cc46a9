import { Migration } from '@mikro-orm/migrations';

export class Migration20261121140000_messaging extends Migration {
  override name = 'Migration20261121140000_messaging';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "invitation" ("id" uuid not null, "tenant_id" uuid not null, "workspace_id" uuid not null, "email" varchar(320) not null, "role_id" uuid not null, "status" varchar(20) not null default 'PENDING', "token_hash" varchar(64) null, "expires_at" timestamptz not null, "invited_by" uuid null, "accepted_user_id" uuid null, "responded_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "invitation" add constraint "invitation_token_hash_unique" unique ("token_hash");`,
    );
    this.addSql(
      `create index "invitation_workspace_id_created_at_index" on "invitation" ("workspace_id", "created_at");`,
    );
    this.addSql(`create index "invitation_email_index" on "invitation" ("email");`);
    this.addSql(
      `create unique index "invitation_pending_email_unique" on "invitation" ("workspace_id", "email") where "status" = 'PENDING';`,
    );
    this.addSql(
      `alter table "invitation" add constraint "invitation_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id");`,
    );
    this.addSql(
      `alter table "invitation" add constraint "invitation_workspace_id_foreign" foreign key ("workspace_id") references "workspace" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "invitation" add constraint "invitation_role_id_foreign" foreign key ("role_id") references "role" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "invitation" add constraint "invitation_invited_by_foreign" foreign key ("invited_by") references "app_user" ("id") on delete set null;`,
    );

    this.addSql(
      `create table "password_reset" ("id" uuid not null, "user_id" uuid not null, "token_hash" varchar(64) null, "status" varchar(20) not null default 'PENDING', "requested_by" uuid null, "workspace_id" uuid null, "expires_at" timestamptz not null, "used_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "password_reset" add constraint "password_reset_token_hash_unique" unique ("token_hash");`,
    );
    this.addSql(`create index "password_reset_user_id_index" on "password_reset" ("user_id");`);
    this.addSql(
      `alter table "password_reset" add constraint "password_reset_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on delete cascade;`,
    );

    this.addSql(
      `create table "email_outbox" ("id" uuid not null, "message_key" varchar(200) not null, "to_address" varchar(320) not null, "subject" varchar(300) not null, "text_body" text null, "html_body" text null, "transport" varchar(20) not null, "status" varchar(20) not null, "sent_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "email_outbox" add constraint "email_outbox_message_key_unique" unique ("message_key");`,
    );
    this.addSql(
      `create index "email_outbox_to_address_created_at_index" on "email_outbox" ("to_address", "created_at");`,
    );

    this.addSql(
      `create table "notification_settings" ("tenant_id" uuid not null, "webhook_url" varchar(2048) null, "webhook_secret_enc" varchar(500) null, "events" text[] not null default '{}', "email_enabled" boolean not null default false, "updated_by" uuid null, "updated_at" timestamptz not null, primary key ("tenant_id"));`,
    );
    this.addSql(
      `alter table "notification_settings" add constraint "notification_settings_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`,
    );

    this.addSql(
      `create table "webhook_delivery" ("id" uuid not null, "tenant_id" uuid not null, "event_key" varchar(300) not null, "event" varchar(100) not null, "url" varchar(2048) not null, "payload" jsonb not null, "status" varchar(20) not null default 'PENDING', "attempts" int not null default 0, "last_status_code" int null, "last_error" varchar(500) null, "delivered_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "webhook_delivery" add constraint "webhook_delivery_event_key_unique" unique ("event_key");`,
    );
    this.addSql(
      `create index "webhook_delivery_tenant_id_created_at_index" on "webhook_delivery" ("tenant_id", "created_at");`,
    );
    this.addSql(
      `alter table "webhook_delivery" add constraint "webhook_delivery_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`,
    );

    this.addSql(
      `create table "webhook_attempt" ("id" bigserial primary key, "delivery_id" uuid not null, "attempt" int not null, "status_code" int null, "error" varchar(500) null, "duration_ms" int not null, "created_at" timestamptz not null);`,
    );
    this.addSql(
      `alter table "webhook_attempt" add constraint "webhook_attempt_delivery_id_attempt_unique" unique ("delivery_id", "attempt");`,
    );
    this.addSql(
      `alter table "webhook_attempt" add constraint "webhook_attempt_delivery_id_foreign" foreign key ("delivery_id") references "webhook_delivery" ("id") on delete cascade;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "webhook_attempt" cascade;`);
    this.addSql(`drop table if exists "webhook_delivery" cascade;`);
    this.addSql(`drop table if exists "notification_settings" cascade;`);
    this.addSql(`drop table if exists "email_outbox" cascade;`);
    this.addSql(`drop table if exists "password_reset" cascade;`);
    this.addSql(`drop table if exists "invitation" cascade;`);
  }
}
