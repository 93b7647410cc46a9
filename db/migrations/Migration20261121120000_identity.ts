import { Migration } from '@mikro-orm/migrations';

export class Migration20261121120000_identity extends Migration {
  override name = 'Migration20261121120000_identity';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "mfa_challenge" ("id" uuid not null, "token_hash" varchar(64) not null, "user_id" uuid not null, "workspace_id" uuid not null, "attempts" int not null default 0, "expires_at" timestamptz not null, "used_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "mfa_challenge" add constraint "mfa_challenge_token_hash_unique" unique ("token_hash");`,
    );
    this.addSql(`create index "mfa_challenge_user_id_index" on "mfa_challenge" ("user_id");`);
    this.addSql(
      `alter table "mfa_challenge" add constraint "mfa_challenge_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "mfa_challenge" add constraint "mfa_challenge_workspace_id_foreign" foreign key ("workspace_id") references "workspace" ("id") on delete cascade;`,
    );

    this.addSql(
      `create table "recovery_code" ("id" uuid not null, "user_id" uuid not null, "code_hash" varchar(64) not null, "used_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "recovery_code" add constraint "recovery_code_user_id_code_hash_unique" unique ("user_id", "code_hash");`,
    );
    this.addSql(
      `alter table "recovery_code" add constraint "recovery_code_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on delete cascade;`,
    );

    this.addSql(
      `create table "throttle_counter" ("key" varchar(200) not null, "window_started_at" timestamptz not null, "hits" int not null default 0, "blocked_until" timestamptz null, "updated_at" timestamptz not null, primary key ("key"));`,
    );
    this.addSql(`create index "throttle_counter_updated_at_index" on "throttle_counter" ("updated_at");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "throttle_counter" cascade;`);
    this.addSql(`drop table if exists "recovery_code" cascade;`);
    this.addSql(`drop table if exists "mfa_challenge" cascade;`);
  }
}
