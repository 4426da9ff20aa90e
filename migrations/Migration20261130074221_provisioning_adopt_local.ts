import { Migration } from '@mikro-orm/migrations';

export class Migration20261130074221_provisioning_adopt_local extends Migration {
  override name = 'Migration20261130074221_provisioning_adopt_local';

  override up(): void | Promise<void> {
    this.addSql(`alter table "provisioning" add "adopt_local" boolean not null default false;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "provisioning" drop column "adopt_local";`);
  }
}
