import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import lockfile from 'proper-lockfile';
import { Database, openDatabase } from '../../src/persistence/database.js';
import { createPglite } from '../../src/persistence/embedded.js';

/** This run's name (global-setup.ts); a file run on its own gets one of its own. */
const RUN = (process.env.ROSTER_TEST_RUN ??= `${process.pid}_${randomBytes(3).toString('hex')}`);

/**
 * A fresh database for one test file, cloned from a template migrated once per run: the first
 * file to need it migrates it under a lock, the others copy it. On the embedded database the
 * template is an image of a migrated PGlite data folder loaded into a new in-memory PGlite; on
 * Postgres (DATABASE_URL) a template database copied with CREATE DATABASE … TEMPLATE.
 */
export async function createTestDatabase(opts: { statementTimeoutMs?: number } = {}): Promise<Database> {
  const url = process.env.DATABASE_URL;
  if (!url) return openDatabase({ pglite: await createPglite(null, await pgliteImage()) }, { migrate: true });
  const name = `roster_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdmin(url, async (admin) => {
    await ensureTemplate(admin, url);
    await admin.query(`create database ${name} template roster_tpl_${RUN}`);
  });
  const db = await openDatabase({ url: urlOf(url, name) }, { migrate: true, statementTimeoutMs: opts.statementTimeoutMs });
  return {
    ...db,
    close: async () => {
      await db.close();
      await withAdmin(url, (admin) => admin.query(`drop database if exists ${name} with (force)`));
    },
  };
}

/** The same server URL with another database name. */
export const urlOf = (url: string, db: string) => {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
};

async function withAdmin<T>(url: string, fn: (admin: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: url });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}

/** Creates and migrates the run's template database once; an advisory lock serialises the files. */
async function ensureTemplate(admin: Client, url: string): Promise<void> {
  const template = `roster_tpl_${RUN}`;
  await admin.query('select pg_advisory_lock(hashtext($1))', [template]);
  try {
    const exists = await admin.query('select 1 from pg_database where datname = $1', [template]);
    if (exists.rowCount) return;
    await admin.query(`create database ${template}`);
    const db = await openDatabase({ url: urlOf(url, template) }, { migrate: true });
    // No connection may stay open on a template while it is copied.
    await db.close();
  } finally {
    await admin.query('select pg_advisory_unlock(hashtext($1))', [template]);
  }
}

/** The run's migrated PGlite image, made by the first file that needs it. */
async function pgliteImage(): Promise<Blob> {
  const file = path.join(os.tmpdir(), `roster-test-image-${RUN}.tar`);
  if (!existsSync(file)) {
    const release = await lockfile.lock(os.tmpdir(), {
      lockfilePath: path.join(os.tmpdir(), `roster-test-image-${RUN}.lock`),
      retries: { retries: 600, minTimeout: 100, maxTimeout: 200 },
      stale: 60_000,
    });
    try {
      if (!existsSync(file)) {
        const pglite = await createPglite(null);
        const db = await openDatabase({ pglite }, { migrate: true });
        const image = await pglite.dumpDataDir('none');
        await db.close();
        await writeFile(`${file}.tmp`, Buffer.from(await image.arrayBuffer()));
        await rename(`${file}.tmp`, file);
      }
    } finally {
      await release();
    }
  }
  return new Blob([await readFile(file)]);
}
