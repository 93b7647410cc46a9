import { Migration } from '@mikro-orm/migrations';

export class Migration20261122070147_merchants extends Migration {
  override name = 'Migration20261122070147_merchants';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "merchant" ("id" uuid not null, "tenant_id" uuid not null, "workspace_id" uuid null, "name" varchar(200) not null, "status" varchar(20) not null default 'PROVISIONING', "admin_user_id" uuid null, "admin_email" varchar(320) not null, "currencies" text[] not null default '{}', "failure_reason" varchar(1000) null, "created_at" timestamptz(3) not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "merchant" add constraint "merchant_workspace_id_unique" unique ("workspace_id");`,
    );
    this.addSql(
      `create index "merchant_tenant_id_created_at_id_index" on "merchant" ("tenant_id", "created_at", "id");`,
    );

    this.addSql(
      `create table "merchant_application" ("id" uuid not null, "tenant_id" uuid not null, "status" varchar(20) not null default 'SUBMITTED', "business_name" varchar(200) not null, "contact_name" varchar(200) not null, "email" varchar(320) not null, "country" varchar(2) not null, "website" varchar(500) null, "currencies" text[] not null default '{}', "merchant_id" uuid null, "decided_by" uuid null, "decided_at" timestamptz null, "reason" varchar(1000) null, "created_at" timestamptz(3) not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "merchant_application" add constraint "merchant_application_merchant_id_unique" unique ("merchant_id");`,
    );
    this.addSql(
      `create index "merchant_application_tenant_id_created_at_id_index" on "merchant_application" ("tenant_id", "created_at", "id");`,
    );
    this.addSql(
      `create index "merchant_application_tenant_id_status_created_at_id_index" on "merchant_application" ("tenant_id", "status", "created_at", "id");`,
    );

    this.addSql(
      `alter table "merchant" add constraint "merchant_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id");`,
    );
    this.addSql(
      `alter table "merchant" add constraint "merchant_workspace_id_foreign" foreign key ("workspace_id") references "workspace" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "merchant" add constraint "merchant_admin_user_id_foreign" foreign key ("admin_user_id") references "app_user" ("id") on delete set null;`,
    );

    this.addSql(
      `alter table "merchant_application" add constraint "merchant_application_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id");`,
    );
    this.addSql(
      `alter table "merchant_application" add constraint "merchant_application_merchant_id_foreign" foreign key ("merchant_id") references "merchant" ("id") on delete set null;`,
    );

    // Data (added by hand to the generated schema change): existing TENANT workspaces' system Admin role holds
    // every TENANT key, so it gains the new tenant.merchants.manage.
    this.addSql(
      `update "role" set "permissions" = array_append("permissions", 'tenant.merchants.manage') where "system" and "name" = 'Admin' and not ('tenant.merchants.manage' = any("permissions")) and "workspace_id" in (select "id" from "workspace" where "kind" = 'TENANT');`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(
      `alter table "merchant_application" drop constraint "merchant_application_merchant_id_foreign";`,
    );

    this.addSql(`drop table if exists "merchant" cascade;`);
    this.addSql(`drop table if exists "merchant_application" cascade;`);
  }
}
