import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { Database, openDatabase } from '../../src/persistence/database.js';

/**
 * A fresh database for one test file: in-memory PGlite by default, or a new database on the
 * Postgres server named by DATABASE_URL (dropped afterwards), migrated by the real migrations.
 */
export async function createTestDatabase(): Promise<Database> {
  const url = process.env.DATABASE_URL;
  if (!url) return openDatabase({ dataDir: null }, { migrate: true });
  const name = `roster_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const target = new URL(url);
  target.pathname = `/${name}`;
  const db = await openDatabase({ url: target.toString() }, { migrate: true });
  return {
    ...db,
    close: async () => {
      await db.close();
      const c = new Client({ connectionString: url });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
