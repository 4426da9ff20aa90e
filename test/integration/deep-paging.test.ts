import type { Database } from '../../src/persistence/database.js';
import { createTestDatabase } from '../support/db.js';
import { querySql } from '../support/sql.js';

/** Deep pages (past the seek threshold) return exactly the rows plain OFFSET paging would. */
let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
  // 1,500 users, many sharing a creation time so that the id tiebreak matters
  await querySql(
    db,
    `insert into users (id, user_name, active, created_at, updated_at, version, title)
     select gen_random_uuid(), 'deep' || n || '@example.com', n % 3 <> 0, timestamptz '2026-01-01' + (n / 7) * interval '1 second', now(), 1, case when n % 2 = 0 then 'even' end
     from generate_series(1, 1500) as n`,
  );
});
afterAll(() => db.close());

const expected = async (where: string, offset: number, limit: number) =>
  (await querySql<{ id: string }>(db, `select id from users where ${where} order by created_at, id limit ${limit} offset ${offset}`)).map((r) => r.id);

test.each([
  [1000, 100],
  [1234, 50],
  [1450, 100],
  [1500, 10],
  [1499, 10],
  [1600, 10],
])('offset %i limit %i matches OFFSET paging, and the total is the count of every row', async (offset, limit) => {
  const page = await db.store().users.list({ offset, limit });
  expect(page.items.map((u) => u.id)).toEqual(await expected('true', offset, limit));
  expect(await page.totalCount()).toBe(1500);
});

test('with a filter, deep pages keep only matching rows', async () => {
  const filter = { or: [{ compare: { path: 'title', op: 'eq' as const, value: 'even' } }, { compare: { path: 'active', op: 'eq' as const, value: true } }] };
  const page = await db.store().users.list({ filter, offset: 1100, limit: 100 });
  expect(page.items.map((u) => u.id)).toEqual(await expected(`(title = 'even' or active)`, 1100, 100));
  expect(page.items).toHaveLength(100);
  expect(await page.totalCount()).toBe(1250);
  // the last matching row alone: the total still counts every match, not the rows from the page on
  const last = await db.store().users.list({ filter, offset: 1249, limit: 100 });
  expect(last.items.map((u) => u.id)).toEqual(await expected(`(title = 'even' or active)`, 1249, 100));
  expect(await last.totalCount()).toBe(1250);
});

test('a walk of every page sees every row once', async () => {
  const seen: string[] = [];
  for (let offset = 0; offset < 1500; offset += 400) seen.push(...(await db.store().users.list({ offset, limit: 400 })).items.map((u) => u.id));
  expect(new Set(seen).size).toBe(1500);
  expect(seen).toEqual(await expected('true', 0, 1500));
});
