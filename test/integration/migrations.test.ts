import type { Database } from '../../src/persistence/database.js';
import { createTestDatabase } from '../support/db.js';
import { querySql } from '../support/sql.js';

/**
 * The migrations build exactly the schema the entities declare, on whichever database runs the
 * suite (PGlite, or Postgres when DATABASE_URL is set). A diff means an entity changed without a
 * migration: run `npm run roster -- make-migration <name>`.
 */
let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.close());

test('no migration is pending after migrating', async () => {
  expect(await db.pendingMigrations()).toEqual([]);
});

test('the schema generator finds no difference between the entities and the migrated database', async () => {
  const diff = await db.orm.schema.getUpdateSchemaSQL({ wrap: false });
  expect(diff.trim()).toBe('');
});

test('the extensions the schema relies on are installed', async () => {
  const rows = await querySql<{ extname: string }>(db, "select extname from pg_extension where extname in ('citext', 'pg_trgm') order by extname");
  expect(rows.map((r) => r.extname)).toEqual(['citext', 'pg_trgm']);
});
