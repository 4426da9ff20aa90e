import { existsSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { citext } from '@electric-sql/pglite/contrib/citext';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { Options } from '@mikro-orm/core';
import { RosterPgliteDriver } from './sql/parameterized-drivers.js';
import lockfile from 'proper-lockfile';
import { upgradeEmbeddedData, type UpgradeLog } from './embedded-upgrade.js';
import { baseOptions } from './orm-options.js';

/** Another process holds the data folder; PGlite would lose writes if both opened it. */
export class DataDirLockedError extends Error {
  override readonly name = 'DataDirLockedError';
}

/** An opened PGlite plus how to release it. */
export interface EmbeddedDatabase {
  pglite: PGlite;
  release(): Promise<void>;
}

/** The cluster inside a data folder. */
export const pgdataOf = (dataDir: string): string => path.join(path.resolve(dataDir), 'pgdata');

/** The data folder's lock (a directory, as proper-lockfile makes it). */
export const lockPathOf = (dataDir: string): string => path.join(path.resolve(dataDir), '.roster.lock');

/** Set once a start is abandoned and its folder removed: the lock's loss is then expected. */
let abandoning = false;

/**
 * Removes a data folder's lock that this process is giving up with its half-made folder (Ctrl-C
 * during a first start). The lock's refresh then finds it gone: that is no longer an error.
 */
export function abandonDataDirLock(dataDir: string): void {
  abandoning = true;
  rmSync(lockPathOf(dataDir), { recursive: true, force: true });
}

/** Takes the data folder's lock, or explains who holds it. */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const dir = path.resolve(dataDir);
  await mkdir(dir, { recursive: true });
  try {
    // `stale`: a lock left by a killed process is taken over after this long.
    return await lockfile.lock(dir, {
      stale: 10_000,
      update: 2_000,
      retries: 0,
      lockfilePath: lockPathOf(dir),
      // proper-lockfile's default throws, which ends the process: right, unless the start was abandoned.
      onCompromised: (err) => {
        if (!abandoning) throw err;
      },
    });
  } catch (err) {
    if ((err as { code?: string }).code === 'ELOCKED') {
      throw new DataDirLockedError(
        `The data folder ${dir} is in use by another Roster process. The embedded database allows one ` +
          `process at a time: stop the other one, use another DATA_DIR, or set DATABASE_URL to share a Postgres server.`,
      );
    }
    throw err;
  }
}

/**
 * Opens PGlite in `pgdata` (or in memory when null) with the extensions the migrations need;
 * `image` starts it from a dump of another data folder (`dumpDataDir`), e.g. a migrated template.
 */
export function createPglite(pgdata: string | null, image?: Blob): Promise<PGlite> {
  return PGlite.create({ ...(pgdata ? { dataDir: pgdata } : {}), ...(image ? { loadDataDir: image } : {}), extensions: { citext, pg_trgm } });
}

/**
 * What a worker thread runs to create a new data folder: PGlite's initdb, then close. Plain
 * CommonJS (an eval worker), loading PGlite by the path this module resolves.
 */
const INITDB_IN_WORKER = `
const { workerData } = require('node:worker_threads');
const { PGlite } = require(workerData.pglite);
PGlite.create({ dataDir: workerData.pgdata }).then((db) => db.close());
`;

/**
 * Creates a new data folder (PGlite's initdb) on a worker thread. initdb runs as one synchronous
 * call into WebAssembly of about 5 s (much longer on a loaded machine); on the main thread it held
 * the event loop, so Ctrl-C during a first start was handled only once it returned. On a worker,
 * the main thread stays free: the interruption is handled at once (and exiting ends the worker).
 */
export function initdbInWorker(pgdata: string): Promise<void> {
  const pglite = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  return new Promise<void>((resolve, reject) => {
    const worker = new Worker(INITDB_IN_WORKER, { eval: true, workerData: { pgdata, pglite } });
    let failure: Error | undefined;
    worker.once('error', (err: Error) => {
      failure = err;
    });
    worker.once('exit', (code) => {
      if (!failure && code === 0) return resolve();
      // A half-made folder would not open next time, and would not be made again either.
      rmSync(pgdata, { recursive: true, force: true });
      reject(failure ?? new Error(`Creating the embedded database in ${pgdata} failed (its worker exited with code ${code}).`));
    });
  });
}

/** Tells nobody: for callers with nothing to report to. */
const SILENT: UpgradeLog = { info: () => undefined, warn: () => undefined };

/**
 * Opens PGlite in `dataDir` (or in memory when `dataDir` is null). A lock file refuses a second
 * process on the same folder; under the lock, a folder written by an older PGlite is upgraded
 * first (the old one is kept beside it), and `log` tells the admin what is happening.
 */
export async function openEmbedded(dataDir: string | null, log: UpgradeLog = SILENT): Promise<EmbeddedDatabase> {
  if (dataDir === null) {
    const pglite = await createPglite(null);
    return { pglite, release: () => pglite.close() };
  }
  const unlock = await lockDataDir(dataDir);
  try {
    await upgradeEmbeddedData(path.resolve(dataDir), log);
    const pgdata = pgdataOf(dataDir);
    if (!existsSync(pgdata)) await initdbInWorker(pgdata);
    const pglite = await createPglite(pgdata);
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

/**
 * MikroORM options over an opened PGlite. Roster owns the instance (lock, extensions, upgrade),
 * so it is handed to the driver, which then uses the instance's own `postgres` database.
 */
export function embeddedOptions(pglite: PGlite): Partial<Options> {
  return { ...baseOptions(), driver: RosterPgliteDriver, dbName: 'postgres', driverOptions: { pglite } };
}
