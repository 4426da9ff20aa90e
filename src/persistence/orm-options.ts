import { Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { entities } from './entities';
import { migrationsList } from '../../migrations';

/** Options shared by both drivers: explicit entities and an explicit migration list. */
export function baseOptions(): Options {
  return {
    entities,
    extensions: [Migrator],
    discovery: { requireEntitiesArray: true },
    // Snapshots would be written into migrations/ at run time; the live schema is diffed instead.
    migrations: { migrationsList, snapshot: false, silent: true, transactional: true, allOrNothing: true, emit: 'ts' },
    forceUtcTimezone: true,
    allowGlobalContext: false,
    debug: false,
  };
}

/** Options for a Postgres server reached by URL. */
export function postgresOptions(url: string, poolMax = 10): Options {
  return { ...baseOptions(), driver: PostgreSqlDriver, clientUrl: url, pool: { min: 0, max: poolMax } };
}
