import path from 'node:path';
import { MikroORM } from '@mikro-orm/core';
import { createPglite, embeddedOptions } from './embedded.js';

/**
 * Authoring aid: applies the existing migrations to an in-memory PGlite and writes a new
 * migration with the difference to the entities. No Postgres server is needed.
 */
export async function makeMigration(repoRoot: string, name?: string): Promise<string | undefined> {
  const pglite = await createPglite(null);
  const base = embeddedOptions(pglite);
  const dir = path.join(repoRoot, 'migrations');
  const orm = await MikroORM.init({ ...base, migrations: { ...base.migrations, path: dir, pathTs: dir } });
  try {
    await orm.migrator.up();
    const result = await orm.migrator.create(dir, false, false, name);
    return result.diff.up.length ? result.fileName : undefined;
  } finally {
    await orm.close(true);
    await pglite.close();
  }
}
