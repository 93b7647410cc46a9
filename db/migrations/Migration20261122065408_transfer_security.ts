import { Migration } from '@mikro-orm/migrations';

export class Migration20261122065408_transfer_security extends Migration {
  override name = 'Migration20261122065408_transfer_security';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "transfer_security" ("workspace_id" uuid not null, "approval_thresholds" jsonb not null default '[]', "step_up_mfa" boolean not null default false, "updated_by" uuid null, "updated_at" timestamptz not null, primary key ("workspace_id"));`,
    );

    this.addSql(`alter table "transfer" drop constraint "transfer_status_check";`);
    this.addSql(
      `alter table "transfer" add constraint "transfer_status_check" check ("status" in ('PENDING_APPROVAL', 'PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED'));`,
    );

    this.addSql(
      `alter table "transfer_security" add constraint "transfer_security_workspace_id_foreign" foreign key ("workspace_id") references "workspace" ("id") on update cascade on delete cascade;`,
    );

    // Data (added by hand to the generated schema step): the system roles Admin and Finance of existing
    // workspaces get the new payout.approve permission, as new workspaces do (domain/permissions.ts).
    this.addSql(
      `update "role" set "permissions" = array_append("permissions", 'payout.approve') where "system" and "name" in ('Admin', 'Finance') and not ('payout.approve' = any("permissions"));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`update "role" set "permissions" = array_remove("permissions", 'payout.approve');`);
    this.addSql(`drop table if exists "transfer_security" cascade;`);

    this.addSql(`alter table "transfer" drop constraint "transfer_status_check";`);
    this.addSql(
      `alter table "transfer" add constraint "transfer_status_check" check ("status" in ('PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED'));`,
    );
  }
}
