import { Migration } from '@mikro-orm/migrations';

export class Migration20261130130000_rate_limits extends Migration {
  override name = 'Migration20261130130000_rate_limits';

  override up(): void | Promise<void> {
    // UNLOGGED: counters change on every request and are worthless after a crash; logging them would
    // add a WAL record per request and ship it to every replica.
    this.addSql(`create unlogged table "rate_limits" ("key" varchar(255) not null, "points" int not null default 0, "expire" bigint null, primary key ("key"));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "rate_limits" cascade;`);
  }
}
