import 'reflect-metadata';
import path from 'node:path';
import { MikroORM } from '@mikro-orm/core';
import { embeddedOptions, openEmbedded } from '../persistence/embedded';

/**
 * Authoring aid: applies the existing migrations to an in-memory PGlite and writes a new
 * migration with the difference to the entities. No Postgres server is needed.
 */
export async function makeMigration(repoRoot: string, name?: string): Promise<string | undefined> {
  const embedded = await openEmbedded(null);
  const base = await embeddedOptions(embedded.pglite);
  const dir = path.join(repoRoot, 'migrations');
  const orm = await MikroORM.init({ ...base, migrations: { ...base.migrations, path: dir, pathTs: dir } });
  try {
    await orm.getMigrator().up();
    const result = await orm.getMigrator().createMigration(dir, false, false, name);
    return result.diff.up.length ? result.fileName : undefined;
  } finally {
    await orm.close(true);
    await embedded.release();
  }
}
