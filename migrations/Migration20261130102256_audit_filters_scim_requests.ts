import { Migration } from '@mikro-orm/migrations';

export class Migration20261130102256_audit_filters_scim_requests extends Migration {
  override name = 'Migration20261130102256_audit_filters_scim_requests';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "scim_requests" ("id" uuid not null, "idp" varchar(64) not null, "at" timestamptz(3) not null, "method" varchar(8) not null, "path" text not null, "status" int not null, "duration_ms" int not null, primary key ("id"));`,
    );
    this.addSql(`create index "scim_requests_idp_at_idx" on "scim_requests" ("idp", "at");`);

    this.addSql(`create index "audit_events_actor_label_trgm" on "audit_events" using gin ("actor_label" gin_trgm_ops);`);
    this.addSql(`create index "audit_events_action_at_idx" on "audit_events" ("action" collate "C", "at");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "scim_requests" cascade;`);

    this.addSql(`drop index "audit_events_actor_label_trgm";`);
    this.addSql(`drop index "audit_events_action_at_idx";`);
  }
}
