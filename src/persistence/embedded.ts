import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { Options } from '@mikro-orm/core';
import lockfile from 'proper-lockfile';
import { baseOptions } from './orm-options';

/** Another process holds the data folder; PGlite would lose writes if both opened it. */
export class DataDirLockedError extends Error {
  override readonly name = 'DataDirLockedError';
}

/** An opened PGlite plus how to release it. */
export interface EmbeddedDatabase {
  pglite: PGlite;
  release(): Promise<void>;
}

/**
 * Opens PGlite in `dataDir` (or in memory when `dataDir` is null) with the extensions the
 * migrations need. A lock file refuses a second process on the same folder.
 */
export async function openEmbedded(dataDir: string | null): Promise<EmbeddedDatabase> {
  // PGlite is ESM-only; a dynamic import keeps this project CommonJS.
  const { PGlite: PGliteClass } = await import('@electric-sql/pglite');
  const { citext } = await import('@electric-sql/pglite/contrib/citext');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  if (dataDir === null) {
    const pglite = (await PGliteClass.create({ extensions: { citext, pg_trgm } })) as unknown as PGlite;
    return { pglite, release: () => pglite.close() };
  }
  const dir = path.resolve(dataDir);
  await mkdir(dir, { recursive: true });
  let unlock: () => Promise<void>;
  try {
    // `stale`: a lock left by a killed process is taken over after this long.
    unlock = await lockfile.lock(dir, { stale: 10_000, update: 2_000, retries: 0, lockfilePath: path.join(dir, '.roster.lock') });
  } catch (err) {
    if ((err as { code?: string }).code === 'ELOCKED') {
      throw new DataDirLockedError(
        `The data folder ${dir} is in use by another Roster process. The embedded database allows one ` +
          `process at a time: stop the other one, use another DATA_DIR, or set DATABASE_URL to share a Postgres server.`,
      );
    }
    throw err;
  }
  try {
    const pglite = (await PGliteClass.create({
      dataDir: path.join(dir, 'pgdata'),
      extensions: { citext, pg_trgm },
    })) as unknown as PGlite;
    return {
      pglite,
      release: async () => {
        await pglite.close();
        await unlock();
      },
    };
  } catch (err) {
    await unlock();
    throw err;
  }
}

/** MikroORM options over an opened PGlite. One connection: PGlite has exactly one. */
export async function embeddedOptions(pglite: PGlite): Promise<Options> {
  const { PGliteDriver } = await import('mikro-orm-pglite');
  return {
    ...baseOptions(),
    driver: PGliteDriver as unknown as Options['driver'],
    dbName: 'postgres',
    pool: { min: 1, max: 1 },
    driverOptions: { connection: { pglite: () => pglite } },
  };
}
