import { Migration } from '@mikro-orm/migrations';

export class Migration20261130100929_saml_sso extends Migration {
  override name = 'Migration20261130100929_saml_sso';

  override up(): void | Promise<void> {
    this.addSql(`create table "saml_assertions" ("key" varchar(64) not null, "expires_at" timestamptz(3) not null, primary key ("key"));`);
    this.addSql(`create index "saml_assertions_expires_at_idx" on "saml_assertions" ("expires_at");`);

    this.addSql(
      `create table "saml_connections" ("idp" varchar(64) not null, "entity_id" text not null, "sso_url" text not null, "sso_binding" varchar(16) not null, "certificates" jsonb not null, "want_response_signed" boolean not null default false, "jit_provisioning" boolean not null default false, "match_email" boolean not null default false, "is_default" boolean not null default false, "role_mappings" jsonb not null default '[]', "created_at" timestamptz(3) not null, "updated_at" timestamptz(3) not null, primary key ("idp"));`,
    );

    this.addSql(`create table "saml_requests" ("id" varchar(128) not null, "idp" varchar(64) not null, "return_to" text not null, "expires_at" timestamptz(3) not null, primary key ("id"));`);
    this.addSql(`create index "saml_requests_expires_at_idx" on "saml_requests" ("expires_at");`);

    this.addSql(
      `create table "sessions" ("id" uuid not null, "secret_hash" varchar(64) not null, "user_id" uuid null, "credential_id" uuid null, "idp" varchar(64) not null, "role" varchar(16) not null, "created_at" timestamptz(3) not null, "last_seen_at" timestamptz(3) not null, "expires_at" timestamptz(3) not null, "ended_at" timestamptz(3) null, "end_reason" varchar(32) null, "address" varchar(64) null, "user_agent" varchar(256) null, primary key ("id"));`,
    );
    this.addSql(`alter table "sessions" add constraint "sessions_secret_hash_unique" unique ("secret_hash");`);
    this.addSql(`create index "sessions_user_id_idx" on "sessions" ("user_id");`);
    this.addSql(`create index "sessions_credential_id_idx" on "sessions" ("credential_id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "saml_assertions" cascade;`);
    this.addSql(`drop table if exists "saml_connections" cascade;`);
    this.addSql(`drop table if exists "saml_requests" cascade;`);
    this.addSql(`drop table if exists "sessions" cascade;`);
  }
}
