import { readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { PGlite as PGliteV05 } from '@electric-sql/pglite';

/** Where upgradeEmbeddedData reports progress; a pino Logger fits. */
export interface UpgradeLog {
  info(objOrMsg: object | string, msg?: string): void;
  warn(objOrMsg: object | string, msg?: string): void;
}

/** What upgradeEmbeddedData did: nothing, or an upgrade with the original kept at `backupDir`. */
export type UpgradeResult = { upgraded: false } | { upgraded: true; backupDir: string; tables: Record<string, number>; ms: number };

/** Options of upgradeEmbeddedData. */
export interface UpgradeOptions {
  /** Database inside the new cluster that receives the data (the new stack's `dbName`); default `postgres`. */
  database?: string;
}

/** The PostgreSQL major version of PGlite 0.3; PGlite 0.5 is PostgreSQL 18. */
export const PGLITE_03_PG_MAJOR = 17;
/** The PostgreSQL major version the current PGlite (0.5) runs and writes. */
export const CURRENT_PG_MAJOR = 18;

const PGDATA = 'pgdata';
const UPGRADING = 'pgdata.upgrading';
const BACKUP_PREFIX = 'pgdata.pg17-backup-';

// Per-table row count and an order-independent content hash, computed on the server so that a big
// table is never turned into one huge string. The same session settings are set on both engines
// so that the text form of timestamps (and any float) is the same on PostgreSQL 17 and 18.
const SAME_TEXT_OUTPUT = `SET TimeZone = 'UTC'; SET DateStyle = 'ISO, MDY'; SET IntervalStyle = 'postgres'; SET extra_float_digits = 1; SET bytea_output = 'hex';`;

/** Row count and content hash of one table. */
interface TableStats {
  rows: number;
  hash: string;
}

/** The subset of the PGlite API (0.3 and 0.5 alike) this file uses. */
interface SqlSession {
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
  exec(sql: string): Promise<unknown>;
  close(): Promise<void>;
}

/** PostgreSQL major version of a PGlite data folder from its PG_VERSION (17: PGlite 0.3, 18: PGlite 0.5); null if missing or empty. */
export async function detectPgliteVersion(pgdataDir: string): Promise<number | null> {
  let entries: string[];
  try {
    entries = await readdir(pgdataDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  if (entries.length === 0) return null;
  let text: string;
  try {
    text = await readFile(path.join(pgdataDir, 'PG_VERSION'), 'utf8');
  } catch (err) {
    // A non-empty folder without PG_VERSION is not a database PGlite made: refuse to guess, since
    // treating it as new would let PGlite initialise a cluster over someone's files.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`${pgdataDir} is not empty but has no PG_VERSION file: it is not a PGlite data folder. Move it away or point DATA_DIR elsewhere.`, { cause: err });
    }
    throw err;
  }
  const major = Number.parseInt(text.trim(), 10);
  if (!Number.isInteger(major)) throw new Error(`${path.join(pgdataDir, 'PG_VERSION')} holds "${text.trim()}", not a PostgreSQL major version.`);
  return major;
}

/** Upgrades `<dataDir>/pgdata` from PGlite 0.3 (PostgreSQL 17) to PGlite 0.5 (PostgreSQL 18), keeping the old folder; else a no-op. */
export async function upgradeEmbeddedData(dataDir: string, log: UpgradeLog, options: UpgradeOptions = {}): Promise<UpgradeResult> {
  // Callers hold the data-folder lock (.roster.lock in dataDir) and call this before opening PGlite:
  // two processes renaming the same folders, or a server on a half-swapped folder, would lose data.
  const dir = path.resolve(dataDir);
  const pgdata = path.join(dir, PGDATA);
  const upgrading = path.join(dir, UPGRADING);
  const database = options.database ?? 'postgres';
  // The name is put into CREATE DATABASE; accept plain identifiers only rather than quote arbitrary text.
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(database)) throw new Error(`Invalid database name for the embedded database: ${JSON.stringify(database)}`);

  await recoverInterruptedSwap(dir, log);
  const major = await detectPgliteVersion(pgdata);
  if (major === null || major === CURRENT_PG_MAJOR) {
    // Nothing to upgrade; a copy left by an attempt that died is useless now.
    if (await exists(upgrading)) {
      log.warn({ folder: upgrading }, 'Removing an unfinished upgrade copy of the embedded database left by an earlier attempt.');
      await rm(upgrading, { recursive: true, force: true });
    }
    return { upgraded: false };
  }
  if (major !== PGLITE_03_PG_MAJOR) {
    throw new Error(
      `The embedded database in ${pgdata} was written by PostgreSQL ${major}; this Roster reads PostgreSQL ${CURRENT_PG_MAJOR} ` +
        `and upgrades only PGlite 0.3 (PostgreSQL ${PGLITE_03_PG_MAJOR}) folders. The folder is untouched.`,
    );
  }

  const started = Date.now();
  const backup = path.join(dir, BACKUP_PREFIX + new Date(started).toISOString().replace(/[:.]/g, '-'));
  log.info(
    { from: pgdata, backup },
    `Upgrading the embedded database from PGlite 0.3 (PostgreSQL 17) to PostgreSQL 18; the old folder is kept as ${backup}. This runs once and may take a while for a large directory.`,
  );
  if (await exists(upgrading)) {
    // A previous attempt died before it finished; its copy was never swapped in, so start over.
    log.warn({ folder: upgrading }, 'A previous upgrade attempt did not finish; deleting its partial copy and starting over.');
    await rm(upgrading, { recursive: true, force: true });
  }

  let tables: Record<string, number>;
  const timings: Record<string, number> = {};
  // Named so that a bare engine error (PGlite 0.3 aborts with just "unreachable") says where it happened.
  let step = 'reading it with PGlite 0.3 (PostgreSQL 17)';
  try {
    // Old engine first, then the new one, so that only one WASM Postgres is in memory at a time.
    const { stats: before, dump } = await dumpWithPglite03(pgdata);
    timings.dumpMs = Date.now() - started;
    step = `restoring it into PostgreSQL 18 in ${upgrading}`;
    const after = await restoreIntoPglite05(upgrading, database, dump);
    timings.restoreMs = Date.now() - started - timings.dumpMs;
    step = 'verifying the copy';
    compareStats(before, after);
    tables = Object.fromEntries([...before.tables].map(([name, s]) => [name, s.rows]));
  } catch (err) {
    await rm(upgrading, { recursive: true, force: true }).catch(() => undefined);
    throw new Error(
      `Could not upgrade the embedded database in ${pgdata} from PGlite 0.3 (PostgreSQL 17) to PostgreSQL 18 ` +
        `(${step}: ${(err as Error).message}). The original folder ${pgdata} is untouched (Roster 0.1 still opens it) and the ` +
        `partial copy was removed; fix the cause and start Roster again, or keep running Roster 0.1.`,
      { cause: err },
    );
  }

  // Verified: swap. Each rename is atomic; a crash between the two is undone by recoverInterruptedSwap.
  await rename(pgdata, backup);
  try {
    await rename(upgrading, pgdata);
  } catch (err) {
    await rename(backup, pgdata).catch(() => undefined);
    throw new Error(
      `The embedded database was upgraded into ${upgrading} but could not be moved to ${pgdata}: ${(err as Error).message}. ` + `The original folder was put back at ${pgdata}, untouched.`,
      { cause: err },
    );
  }
  const ms = Date.now() - started;
  log.info(
    { ms, ...timings, tables, backup },
    `The embedded database now runs on PostgreSQL 18 (every table verified: same rows, same content). The PostgreSQL 17 folder is kept as ${backup}; delete it once you no longer need to go back to Roster 0.1.`,
  );
  return { upgraded: true, backupDir: backup, tables, ms };
}

/**
 * A crash between the two renames leaves no `pgdata` but both the backup and the (verified) new
 * copy. Put the newest backup back so the upgrade simply runs again from the untouched original;
 * without this the next start would see no folder and create an empty database.
 */
async function recoverInterruptedSwap(dir: string, log: UpgradeLog): Promise<void> {
  const pgdata = path.join(dir, PGDATA);
  if ((await exists(pgdata)) || !(await exists(path.join(dir, UPGRADING)))) return;
  const backups = (await readdir(dir)).filter((n) => n.startsWith(BACKUP_PREFIX)).sort();
  const newest = backups.at(-1);
  if (newest === undefined) return;
  log.warn({ backup: path.join(dir, newest) }, 'An earlier upgrade stopped while swapping folders; restoring the PostgreSQL 17 folder and upgrading again.');
  await rename(path.join(dir, newest), pgdata);
}

/** Whole-database statistics compared before and after. */
interface DatabaseStats {
  tables: Map<string, TableStats>;
  sequences: Map<string, string>;
  extensions: string[];
}

/**
 * Opens the old folder with PGlite 0.3 exactly as Roster 0.1 did (same engine, same extensions,
 * so the folder stays a valid 0.3 folder), records its statistics and dumps it with pg_dump 17.
 */
async function dumpWithPglite03(pgdata: string): Promise<{ stats: DatabaseStats; dump: string }> {
  // Aliased packages (npm:@electric-sql/pglite@0.3.16, npm:@electric-sql/pglite-tools@0.2.21):
  // only an old folder needs them, so they are loaded only then.
  const { PGlite } = await import('pglite-v03');
  const { citext } = await import('pglite-v03/contrib/citext');
  const { pg_trgm } = await import('pglite-v03/contrib/pg_trgm');
  const { pgDump } = await import('pglite-tools-v02/pg_dump');
  // PGlite 0.3 opens `template1` unless told otherwise, and Roster 0.1 never told it: its tables
  // live in template1, not in `postgres` (which is empty). pg_dump dumps the session it is given.
  const pg = await PGlite.create({ dataDir: pgdata, database: 'template1', extensions: { citext, pg_trgm } });
  try {
    const stats = await readStats(pg);
    // pgDump is typed against the 0.5 PGlite (its peer resolves there) but only drives the
    // instance it is given over the wire protocol, so the dump is made by PostgreSQL 17.
    const file = await pgDump({ pg: pg as unknown as PGliteV05 });
    const dump = await file.text();
    // pgDump restores search_path without awaiting it; wait for that before closing.
    await pg.query('select 1');
    return { stats, dump };
  } finally {
    await pg.close();
  }
}

/** Creates a PostgreSQL 18 cluster in `folder`, restores the dump into `database` and reads it back. */
async function restoreIntoPglite05(folder: string, database: string, dump: string): Promise<DatabaseStats> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { citext } = await import('@electric-sql/pglite/contrib/citext');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const extensions = { citext, pg_trgm };
  if (database !== 'postgres') {
    // PGlite cannot start on a database that does not exist: create it from `postgres` first.
    const admin = await PGlite.create({ dataDir: folder, extensions });
    try {
      await admin.exec(`CREATE DATABASE "${database}"`);
    } finally {
      await admin.close();
    }
  }
  const pg = await PGlite.create({ dataDir: folder, database, extensions });
  try {
    await pg.exec(dump);
    // The dump empties search_path (and sets other session options); back to defaults.
    await pg.exec('RESET ALL; SET search_path TO public;');
    return await readStats(pg);
  } finally {
    await pg.close();
  }
}

/** Row counts and content hashes of every public table, sequence positions and extensions. */
async function readStats(pg: SqlSession): Promise<DatabaseStats> {
  await pg.exec(SAME_TEXT_OUTPUT);
  const tables = new Map<string, TableStats>();
  const names = await pg.query<{ name: string }>(`select tablename as name from pg_tables where schemaname = 'public' order by tablename`);
  for (const { name } of names.rows) {
    const ident = `public."${name.replace(/"/g, '""')}"`;
    // Sum of a 60-bit slice of each row's md5: independent of row order, numeric so it cannot overflow.
    const r = await pg.query<{ rows: number; hash: string }>(`select count(*)::int as rows, coalesce(sum(('x' || substr(md5(t::text), 1, 15))::bit(60)::bigint), 0)::text as hash from ${ident} t`);
    tables.set(name, r.rows[0]);
  }
  const seqs = await pg.query<{ name: string; pos: string }>(
    `select sequencename as name, coalesce(last_value::text, 'unset') as pos from pg_sequences where schemaname = 'public' order by sequencename`,
  );
  const ext = await pg.query<{ extname: string }>(`select extname from pg_extension order by extname`);
  return { tables, sequences: new Map(seqs.rows.map((s) => [s.name, s.pos])), extensions: ext.rows.map((e) => e.extname) };
}

/** Throws unless the restored database holds exactly what the old one held. */
function compareStats(before: DatabaseStats, after: DatabaseStats): void {
  const problems: string[] = [];
  for (const [name, b] of before.tables) {
    const a = after.tables.get(name);
    if (!a) problems.push(`table ${name} is missing`);
    else if (a.rows !== b.rows) problems.push(`table ${name} has ${a.rows} rows instead of ${b.rows}`);
    else if (a.hash !== b.hash) problems.push(`table ${name} has the same row count but different content`);
  }
  for (const name of after.tables.keys()) if (!before.tables.has(name)) problems.push(`unexpected table ${name}`);
  for (const [name, pos] of before.sequences) if (after.sequences.get(name) !== pos) problems.push(`sequence ${name} is at ${after.sequences.get(name)} instead of ${pos}`);
  for (const e of before.extensions) if (!after.extensions.includes(e)) problems.push(`extension ${e} is missing`);
  if (problems.length > 0) throw new Error(`the restored copy does not match: ${problems.join('; ')}`);
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}
