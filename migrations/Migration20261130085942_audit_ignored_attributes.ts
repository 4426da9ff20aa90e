import { Migration } from '@mikro-orm/migrations';

export class Migration20261130085942_audit_ignored_attributes extends Migration {
  override name = 'Migration20261130085942_audit_ignored_attributes';

  override up(): void | Promise<void> {
    this.addSql(`alter table "audit_events" add "ignored" text[] not null default '{}';`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "audit_events" drop column "ignored";`);
  }
}
