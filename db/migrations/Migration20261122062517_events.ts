import { Migration } from '@mikro-orm/migrations';

export class Migration20261122062517_events extends Migration {
  override name = 'Migration20261122062517_events';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "webhook_endpoint" ("id" uuid not null, "tenant_id" uuid not null, "workspace_id" uuid not null, "url" varchar(2048) not null, "events" text[] not null default '{}', "enabled" boolean not null default true, "secret_enc" varchar(500) not null, "created_by" uuid null, "created_at" timestamptz(3) not null, "updated_at" timestamptz(3) not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "webhook_endpoint_workspace_id_created_at_index" on "webhook_endpoint" ("workspace_id", "created_at");`,
    );

    this.addSql(
      `create table "event" ("id" uuid not null, "tenant_id" uuid not null, "workspace_id" uuid null, "type" varchar(100) not null, "dedupe_key" varchar(300) not null, "data" jsonb not null, "dispatched_at" timestamptz(3) null, "created_at" timestamptz(3) not null, primary key ("id"));`,
    );
    this.addSql(`alter table "event" add constraint "event_dedupe_key_unique" unique ("dedupe_key");`);
    this.addSql(`create index "event_tenant_id_created_at_index" on "event" ("tenant_id", "created_at");`);
    this.addSql(
      `create index "event_workspace_id_created_at_index" on "event" ("workspace_id", "created_at");`,
    );

    this.addSql(
      `alter table "webhook_delivery" add "event_id" uuid null, add "endpoint_id" uuid null, add "runs" int not null default 0, add "last_attempt_at" timestamptz(3) null, add "next_attempt_at" timestamptz(3) null;`,
    );
    this.addSql(
      `alter table "webhook_delivery" add constraint "webhook_delivery_event_id_foreign" foreign key ("event_id") references "event" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "webhook_delivery" add constraint "webhook_delivery_endpoint_id_foreign" foreign key ("endpoint_id") references "webhook_endpoint" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "webhook_delivery" alter column "created_at" type timestamptz(3) using ("created_at"::timestamptz(3));`,
    );
    this.addSql(
      `create index "webhook_delivery_endpoint_id_created_at_index" on "webhook_delivery" ("endpoint_id", "created_at");`,
    );

    this.addSql(
      `alter table "webhook_endpoint" add constraint "webhook_endpoint_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "webhook_endpoint" add constraint "webhook_endpoint_workspace_id_foreign" foreign key ("workspace_id") references "workspace" ("id") on delete cascade;`,
    );

    this.addSql(
      `alter table "event" add constraint "event_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "event" add constraint "event_workspace_id_foreign" foreign key ("workspace_id") references "workspace" ("id") on delete cascade;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "webhook_delivery" drop constraint "webhook_delivery_endpoint_id_foreign";`);
    this.addSql(`alter table "webhook_delivery" drop constraint "webhook_delivery_event_id_foreign";`);

    this.addSql(`drop table if exists "webhook_endpoint" cascade;`);
    this.addSql(`drop table if exists "event" cascade;`);

    this.addSql(`drop index "webhook_delivery_endpoint_id_created_at_index";`);
    this.addSql(
      `alter table "webhook_delivery" drop column "event_id", drop column "endpoint_id", drop column "runs", drop column "last_attempt_at", drop column "next_attempt_at";`,
    );
    this.addSql(
      `alter table "webhook_delivery" alter column "created_at" type timestamptz(6) using ("created_at"::timestamptz(6));`,
    );
  }
}
