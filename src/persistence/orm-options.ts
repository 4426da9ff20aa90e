import type { Options } from '@mikro-orm/core';
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import { Migrator } from '@mikro-orm/migrations';
import { RosterPostgreSqlDriver } from './sql/parameterized-drivers.js';
import { migrationsList } from '../../migrations/index.js';
import { entities } from './entities.js';

/** Options shared by both drivers: explicit entities and an explicit migration list. */
export function baseOptions(): Partial<Options> {
  return {
    entities,
    metadataProvider: ReflectMetadataProvider,
    extensions: [Migrator],
    // Snapshots would be written into migrations/ at run time; the live schema is diffed instead.
    migrations: { migrationsList, snapshot: false, silent: true, transactional: true, allOrNothing: true, emit: 'ts' },
    forceUtcTimezone: true,
    allowGlobalContext: false,
    debug: false,
  };
}

/** Options for a Postgres server reached by URL. */
export function postgresOptions(url: string, poolMax = 10, statementTimeoutMs = 0): Partial<Options> {
  // ensureDatabase off: a start must not create a database on a mistyped URL; `migrate` creates it, and says so.
  return {
    ...baseOptions(),
    driver: RosterPostgreSqlDriver,
    clientUrl: url,
    pool: { min: 0, max: poolMax },
    ensureDatabase: false,
    // the server stops any statement of the service's pool that runs longer (0: no limit, as for migrations)
    driverOptions: statementTimeoutMs > 0 ? { statement_timeout: statementTimeoutMs } : undefined,
  };
}
