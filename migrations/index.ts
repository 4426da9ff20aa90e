import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261128181119_initial } from './Migration20261128181119_initial.js';
import { Migration20261130074221_provisioning_adopt_local } from './Migration20261130074221_provisioning_adopt_local.js';

/** Every migration in order; listed explicitly so that the compiled tree needs no folder scan. */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261128181119_initial', class: Migration20261128181119_initial },
  { name: 'Migration20261130074221_provisioning_adopt_local', class: Migration20261130074221_provisioning_adopt_local },
];
