import type { EntityManager } from '@mikro-orm/postgresql';
import type { Database } from '../../src/persistence/database';
import { createTestDatabase } from '../support/db';

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
  expect(await db.orm.getMigrator().getPendingMigrations()).toEqual([]);
});

test('the schema generator finds no difference between the entities and the migrated database', async () => {
  const diff = await db.orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
  expect(diff.trim()).toBe('');
});

test('the extensions the schema relies on are installed', async () => {
  const em = db.orm.em.fork() as EntityManager;
  const rows = await em.execute<{ extname: string }[]>("select extname from pg_extension where extname in ('citext', 'pg_trgm') order by extname");
  expect(rows.map((r) => r.extname)).toEqual(['citext', 'pg_trgm']);
});
