import { Migration } from '@mikro-orm/migrations';

export class Migration20261128181119_initial extends Migration {
  override async up(): Promise<void> {
    // citext makes userName and displayName unique without regard to case, in the database itself.
    this.addSql(`create extension if not exists "citext";`);
    this.addSql(`create extension if not exists "pg_trgm";`);
    this.addSql(
      `create table "audit_events" ("id" uuid not null, "at" timestamptz(3) not null, "actor_id" uuid null, "actor_label" text not null, "action" text not null, "resource_type" varchar(32) not null, "resource_id" text null, "changed" text[] not null default '{}', "request_id" text null, constraint "audit_events_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "audit_events_resource_idx" on "audit_events" ("resource_id");`);
    this.addSql(`create index "audit_events_at_idx" on "audit_events" ("at", "id");`);

    this.addSql(
      `create table "credentials" ("id" uuid not null, "kind" varchar(16) not null, "role" varchar(16) not null, "name" varchar(255) not null, "idp" varchar(255) null, "secret_hash" varchar(64) not null, "prefix" varchar(16) not null, "created_by" uuid null, "created_at" timestamptz(3) not null, "last_used_at" timestamptz(3) null, "revoked_at" timestamptz(3) null, constraint "credentials_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "credentials" add constraint "credentials_secret_hash_unique" unique ("secret_hash");`);
    this.addSql(`create index "credentials_idp_idx" on "credentials" ("idp");`);

    this.addSql(
      `create table "groups" ("id" uuid not null, "display_name" citext not null, "external_id" text null, "source" text not null default 'local', "created_at" timestamptz(3) not null, "updated_at" timestamptz(3) not null, "version" int not null default 1, constraint "groups_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "groups" add constraint "groups_display_name_unique" unique ("display_name");`);
    this.addSql(`create index "groups_created_at_id_idx" on "groups" ("created_at", "id");`);
    this.addSql(`create index "groups_external_id_idx" on "groups" ("external_id");`);

    this.addSql(
      `create table "memberships" ("group_id" uuid not null, "member_id" uuid not null, "member_type" varchar(5) not null, "created_at" timestamptz(3) not null default now(), constraint "memberships_pkey" primary key ("group_id", "member_id"));`,
    );
    this.addSql(`create index "memberships_member_id_idx" on "memberships" ("member_id");`);

    this.addSql(
      `create table "provisioning" ("idp" varchar(255) not null, "active" boolean not null, "activated_at" timestamptz(3) not null, "deactivated_at" timestamptz(3) null, constraint "provisioning_pkey" primary key ("idp"));`,
    );

    this.addSql(
      `create table "users" ("id" uuid not null, "user_name" citext not null, "external_id" text null, "active" boolean not null default true, "name_formatted" text null, "name_family_name" text null, "name_given_name" text null, "name_middle_name" text null, "name_honorific_prefix" text null, "name_honorific_suffix" text null, "display_name" text null, "nick_name" text null, "profile_url" text null, "title" text null, "user_type" text null, "preferred_language" text null, "locale" text null, "timezone" text null, "emails" jsonb not null default '[]', "phone_numbers" jsonb not null default '[]', "ims" jsonb not null default '[]', "photos" jsonb not null default '[]', "addresses" jsonb not null default '[]', "entitlements" jsonb not null default '[]', "roles" jsonb not null default '[]', "x509certificates" jsonb not null default '[]', "email_index" text[] not null default '{}', "employee_number" text null, "cost_center" text null, "organization" text null, "division" text null, "department" text null, "manager_value" text null, "static_ip" text null, "mac_address" text null, "password_hash" text null, "source" text not null default 'local', "created_at" timestamptz(3) not null, "updated_at" timestamptz(3) not null, "version" int not null default 1, constraint "users_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "users" add constraint "users_user_name_unique" unique ("user_name");`);
    this.addSql(`create index "users_created_at_id_idx" on "users" ("created_at", "id");`);
    this.addSql(`create index "users_email_index_gin" on "users" using gin ("email_index");`);
    this.addSql(`create index "users_external_id_idx" on "users" ("external_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "audit_events" cascade;`);

    this.addSql(`drop table if exists "credentials" cascade;`);

    this.addSql(`drop table if exists "groups" cascade;`);

    this.addSql(`drop table if exists "memberships" cascade;`);

    this.addSql(`drop table if exists "provisioning" cascade;`);

    this.addSql(`drop table if exists "users" cascade;`);
  }
}
