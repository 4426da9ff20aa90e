import type { SqlEntityManager } from '@mikro-orm/sql';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import type { Database } from '../../src/persistence/database.js';
import { forgetPositions, positionStats, rememberPositions } from '../../src/persistence/list-positions.js';
import { vacuumRowCounts } from '../../src/persistence/row-counts.js';
import { frag } from '../../src/persistence/sql/fragment.js';
import { runSql } from '../../src/persistence/sql/run.js';
import { createTestDatabase } from '../support/db.js';
import { addUserAt, checkedUserPage, countUsers, offsetIds, seedWalkUsers } from '../support/list-pages.js';
import { querySql } from '../support/sql.js';

/**
 * The import walk starts each page from a remembered position (src/persistence/list-positions.ts)
 * and takes the total from row_count_deltas. Both must give exactly what OFFSET paging and
 * count(*) give on the same data, whatever was written between two pages.
 */
let db: Database;
beforeEach(async () => {
  db = await createTestDatabase();
  await seedWalkUsers(db, 'walk');
});
afterEach(() => db.close());

const expected = (offset: number, limit: number) => offsetIds(db, offset, limit);
const countAll = () => countUsers(db);
const counted = async () => Number((await querySql<{ n: number }>(db, `select coalesce(sum(change), 0)::int as n from row_count_deltas where resource = 'users'`))[0].n);

/** Reads a page through the store and checks it against OFFSET paging and count(*). */
const page = (offset: number, limit = 100) => checkedUserPage(db, offset, limit);

const addUser = (name: string, createdAt: string) => addUserAt(db, name, createdAt);

test('a walk starts every page after the first from the previous one, and sees every row once', async () => {
  const used = positionStats.used;
  const seen: string[] = [];
  for (let offset = 0; offset < 1500; offset += 100) seen.push(...(await page(offset)).items.map((u) => u.id));
  expect(seen).toEqual(await expected(0, 1500));
  expect(positionStats.used - used).toBe(14);
  // the same deep page again, and one between two remembered positions
  await page(1400);
  await page(1250, 37);
  expect(positionStats.used - used).toBe(16);
});

test('rows added or removed before a remembered position void it; the next page is still exact', async () => {
  await page(0);
  await page(100);
  const refused = positionStats.refused;
  // a user created "in the past" (an import that keeps creation times) lands on the first page
  await addUser('early@example.com', '2025-06-01');
  await page(200);
  expect(positionStats.refused - refused).toBe(1);
  await page(300);
  // a user removed from the first page
  await querySql(db, `delete from users where id = (select id from users order by created_at, id offset 5 limit 1)`);
  await page(400);
  expect(positionStats.refused - refused).toBe(2);
  // a row moved from the end to the start of the order
  await page(500);
  await querySql(db, `update users set created_at = '2025-01-01' where id = (select id from users order by created_at desc, id desc limit 1)`);
  await page(600);
  expect(positionStats.refused - refused).toBe(3);
});

test('rows added after a remembered position keep it: creates during a walk do not restart it', async () => {
  await page(0);
  await page(100);
  const { used, refused } = positionStats;
  await addUser('late@example.com', '2027-01-01');
  await querySql(db, `delete from users where id = (select id from users order by created_at desc, id desc limit 1 offset 1)`);
  await page(200);
  expect(positionStats.used - used).toBe(1);
  expect(positionStats.refused - refused).toBe(0);
});

test('the total is count(*) after inserts, deletes, a rollback, folds and a truncate', async () => {
  expect(await counted()).toBe(1500);
  await addUser('one@example.com', '2026-02-01');
  await querySql(db, `delete from users where user_name like 'walk1%'`);
  const em = db.orm.em.fork() as SqlEntityManager;
  await expect(
    em.transactional(async (tx) => {
      await runSql(tx as SqlEntityManager, frag(`insert into users (id, user_name, created_at, updated_at) values (gen_random_uuid(), 'gone@example.com', now(), now())`));
      throw new Error('roll back');
    }),
  ).rejects.toThrow('roll back');
  expect(await counted()).toBe(await countAll());
  // 1,200 more rows: every 1,000th delta row folds the table
  await querySql(
    db,
    `do $$ begin for i in 1..1200 loop insert into users (id, user_name, created_at, updated_at) values (gen_random_uuid(), 'loop' || i || '@example.com', now(), now()); end loop; end $$`,
  );
  expect(await counted()).toBe(await countAll());
  const deltaRows = Number((await querySql<{ n: number }>(db, `select count(*)::int as n from row_count_deltas where resource = 'users'`))[0].n);
  expect(deltaRows).toBeLessThan(1000);
  await page(2600);
  await querySql(db, 'truncate users cascade');
  expect(await counted()).toBe(0);
  await addUser('after@example.com', '2026-03-01');
  expect(await counted()).toBe(1);
  await page(0);
});

test('a fold voids every remembered position', async () => {
  await page(0);
  await page(100);
  const refused = positionStats.refused;
  await querySql(
    db,
    `do $$ begin for i in 1..1000 loop insert into users (id, user_name, created_at, updated_at) values (gen_random_uuid(), 'fold' || i || '@example.com', '2027-01-01', now()); end loop; end $$`,
  );
  // the fold left one row for users, written by the loop's transaction
  expect(Number((await querySql<{ n: number }>(db, `select count(*)::int as n from row_count_deltas where resource = 'users'`))[0].n)).toBeLessThan(1000);
  await page(200);
  expect(positionStats.refused - refused).toBe(1);
});

test('a position from a snapshot this database has not reached yet (a replica ahead of this one) is refused', async () => {
  const owner = db.orm.em.getDriver();
  const [{ snap }] = await querySql<{ snap: string }>(db, 'select pg_current_snapshot()::text as snap');
  const [xmin, xmax] = snap.split(':').map(Number);
  // a position that would be wrong if used: it claims the 1,000th row comes 10 rows in
  const [row] = await querySql<{ at: string; id: string }>(db, 'select created_at::text as at, id from users order by created_at, id offset 1000 limit 1');
  forgetPositions(owner, 'users');
  rememberPositions(owner, 'users', [{ before: 10, key: { createdAt: row.at, id: row.id }, snapshot: `${xmin}:${xmax + 1000}:` }]);
  const refused = positionStats.refused;
  await page(10);
  expect(positionStats.refused - refused).toBe(1);
});

const onPostgres = process.env.DATABASE_URL ? test : test.skip;
onPostgres('a row added before the position by a transaction still open when the page was read voids the position once it commits', async () => {
  await page(0);
  const em = db.orm.em.fork() as SqlEntityManager;
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let inserted!: () => void;
  const insertedP = new Promise<void>((r) => (inserted = r));
  const writer = em.transactional(async (tx) => {
    await runSql(tx as SqlEntityManager, frag(`insert into users (id, user_name, created_at, updated_at) values (gen_random_uuid(), 'open@example.com', '2025-01-01', now())`));
    inserted();
    await held;
  });
  await insertedP;
  // a later transaction commits first, so that the open one is in the snapshot's in-progress list
  // rather than past its end
  await addUser('later@example.com', '2027-01-01');
  // read while the insert is uncommitted: the position remembered here does not count it
  await page(100);
  release();
  await writer;
  const refused = positionStats.refused;
  await page(200);
  expect(positionStats.refused - refused).toBe(1);
});

test('/metrics shows how many pages started from a position', async () => {
  const roster = await createApp({ config: loadConfig({ LOG_LEVEL: 'silent' }), db, logger: pino({ level: 'silent' }) });
  try {
    await page(0);
    await page(100);
    const res = await request(roster.app.callback()).get('/metrics').expect(200);
    expect(Number(/roster_list_positions_used_total (\d+)/.exec(res.text)?.[1])).toBe(positionStats.used);
    expect(positionStats.used).toBeGreaterThan(0);
    expect(res.text).toMatch(/roster_list_positions_refused_total \d+/);
  } finally {
    await roster.close();
  }
});

test('a page with no position known matches OFFSET paging at any offset', async () => {
  for (const offset of [0, 1, 2, 150, 999, 1499, 1500, 2000]) {
    forgetPositions(db.orm.em.getDriver(), 'users');
    const p = await page(offset, 50);
    expect(p.items.length).toBe(Math.max(0, Math.min(50, 1500 - offset)));
  }
});

test('groups walk the same way: pages from positions, exact totals, a removed group voids the positions after it', async () => {
  await querySql(
    db,
    `insert into groups (id, display_name, created_at, updated_at) select gen_random_uuid(), 'walk group ' || n, timestamptz '2026-01-01' + (n / 5) * interval '1 second', now() from generate_series(1, 350) as n`,
  );
  const expectedGroups = async (offset: number, limit: number) =>
    (await querySql<{ id: string }>(db, `select id from groups order by created_at, id limit ${limit} offset ${offset}`)).map((r) => r.id);
  const groupPage = async (offset: number) => {
    const p = await db.store().groups.list({ offset, limit: 100 });
    expect(p.items.map((g) => g.id)).toEqual(await expectedGroups(offset, 100));
    expect(await p.totalCount()).toBe(Number((await querySql<{ n: number }>(db, 'select count(*)::int as n from groups'))[0].n));
  };
  const { used, refused } = positionStats;
  await groupPage(0);
  await groupPage(100);
  expect(positionStats.used - used).toBe(1);
  await querySql(db, `delete from groups where id = (select id from groups order by created_at, id offset 3 limit 1)`);
  await groupPage(200);
  expect(positionStats.refused - refused).toBe(1);
  await groupPage(300);
  expect(positionStats.used - used).toBe(2);
});

test('vacuuming the row-count log keeps it from growing by every row ever written (the embedded database has no autovacuum)', async () => {
  const cycle = async () => {
    await querySql(
      db,
      `do $$ begin for i in 1..1000 loop insert into users (id, user_name, created_at, updated_at) values (gen_random_uuid(), 'v' || gen_random_uuid() || '@example.com', now(), now()); end loop; end $$`,
    );
    await vacuumRowCounts(db.orm.em.fork() as SqlEntityManager);
    return Number((await querySql<{ n: string }>(db, `select pg_relation_size('row_count_deltas') as n`))[0].n);
  };
  const first = await cycle();
  for (let i = 0; i < 2; i++) await cycle();
  const last = await cycle();
  // without the vacuum it grows by about the first cycle's size each time (2.6 × in all here)
  expect(last).toBeLessThanOrEqual(first * 1.5);
  expect(await counted()).toBe(await countAll());
});
