import type { Database } from '../../src/persistence/database.js';
import { querySql } from './sql.js';

/**
 * What the tests of the unfiltered list walk (list positions, anchors) share: a directory to walk,
 * and a page read through the store checked against OFFSET paging and count(*) on the same data.
 */

/** 1,500 users named `<prefix>n@example.com`, many sharing a creation time so that the id tiebreak matters. */
export const seedWalkUsers = (db: Database, prefix: string) =>
  querySql(
    db,
    `insert into users (id, user_name, active, created_at, updated_at, version)
     select gen_random_uuid(), ? || n || '@example.com', true, timestamptz '2026-01-01' + (n / 7) * interval '1 second', now(), 1
     from generate_series(1, 1500) as n`,
    [prefix],
  );

/** The ids OFFSET paging gives in the default order. */
export const offsetIds = async (db: Database, offset: number, limit: number) =>
  (await querySql<{ id: string }>(db, 'select id from users order by created_at, id limit ? offset ?', [limit, offset])).map((r) => r.id);

export const countUsers = async (db: Database) => Number((await querySql<{ n: number }>(db, 'select count(*)::int as n from users'))[0].n);

/** A page of users through the store: its ids are OFFSET paging's, its total is count(*). */
export async function checkedUserPage(db: Database, offset: number, limit = 100) {
  const p = await db.store().users.list({ offset, limit });
  expect(p.items.map((u) => u.id)).toEqual(await offsetIds(db, offset, limit));
  expect(await p.totalCount()).toBe(await countUsers(db));
  return p;
}

/** A user created at the given time (in the past: an import that keeps creation times). */
export const addUserAt = (db: Database, name: string, createdAt: string) =>
  querySql(db, `insert into users (id, user_name, created_at, updated_at) values (gen_random_uuid(), ?, ?::timestamptz, now())`, [name, createdAt]);
