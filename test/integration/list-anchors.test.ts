import type { SqlEntityManager } from '@mikro-orm/sql';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import type { Database } from '../../src/persistence/database.js';
import { anchorSettings, anchorsBuilding, buildAnchors, requestAnchors } from '../../src/persistence/list-anchors.js';
import { anchorCount, forgetPositions, positionStats } from '../../src/persistence/list-positions.js';
import { createTestDatabase } from '../support/db.js';
import { addUserAt, checkedUserPage, seedWalkUsers } from '../support/list-pages.js';
import { querySql } from '../support/sql.js';

/**
 * A jump into a long list (no walk before it) starts from an anchor, a position every `step` rows
 * read on one snapshot (src/persistence/list-anchors.ts). Whatever was written since the anchors
 * were read, a page must be exactly what OFFSET paging gives, with the count(*) total.
 */
const STEP = 100;
const defaults = { ...anchorSettings };
let db: Database;
beforeEach(async () => {
  Object.assign(anchorSettings, { step: STEP, rebuildAfterMs: 0 });
  db = await createTestDatabase();
  await seedWalkUsers(db, 'jump');
});
afterEach(async () => {
  // a build a test started in the background ends before its database closes
  await anchorsBuilding(owner(), 'users');
  Object.assign(anchorSettings, defaults);
  await db.close();
});

const owner = () => db.orm.em.getDriver();
const fork = () => db.orm.em.fork() as SqlEntityManager;

/**
 * Reads a page through the store and checks it against OFFSET paging and count(*). Tests that count
 * anchor uses jump backwards: the positions an earlier page left are then all after the page.
 */
const jump = (offset: number, limit = 100) => checkedUserPage(db, offset, limit);

const addUser = (name: string, createdAt: string) => addUserAt(db, name, createdAt);

test('anchors are the keys every STEP rows of the order, with the exact number of rows before each', async () => {
  expect(await buildAnchors(fork(), 'users')).toBe(14);
  const rows = await querySql<{ before: number; id: string }>(db, `select (row_number() over (order by created_at, id) - 1)::int as before, id from users order by created_at, id`);
  const keyAt = new Map(rows.map((r) => [r.before, r.id]));
  // every anchor names the row at its offset (the same row OFFSET paging finds there)
  for (let before = STEP; before < 1500; before += STEP) {
    const page = await db.store().users.list({ offset: before, limit: 1 });
    expect(page.items[0].id).toBe(keyAt.get(before));
  }
  expect(anchorCount(owner(), 'users')).toBe(14);
});

test('a jump with no position near it builds the anchors for the next jump, which starts from one', async () => {
  forgetPositions(owner(), 'users');
  const builds = positionStats.anchorBuilds;
  // the first jump walks the index and starts the build behind it
  await jump(1234);
  await anchorsBuilding(owner(), 'users');
  expect(positionStats.anchorBuilds - builds).toBe(1);
  expect(anchorCount(owner(), 'users')).toBe(14);
  const used = positionStats.anchorsUsed;
  await jump(1156);
  await jump(777, 50);
  await jump(100);
  expect(positionStats.anchorsUsed - used).toBe(3);
  // no new build while they hold
  expect(positionStats.anchorBuilds - builds).toBe(1);
});

test('a jump while the anchors are being built waits for them and starts from one (a process that has just started)', async () => {
  forgetPositions(owner(), 'users');
  const { anchorsUsed, anchorBuilds } = positionStats;
  const prewarm = db.store().prewarmListAnchors();
  expect(anchorsBuilding(owner(), 'users')).toBeDefined();
  await jump(1450);
  expect(positionStats.anchorsUsed - anchorsUsed).toBe(1);
  await prewarm;
  // users and groups: two builds, none more for the jump
  expect(positionStats.anchorBuilds - anchorBuilds).toBe(2);
});

test('rows added or removed before an anchor void the anchors; pages stay exact and the anchors are read again', async () => {
  await buildAnchors(fork(), 'users');
  const refused = positionStats.refused;
  // a user created "in the past" (an import that keeps creation times)
  await addUser('early@example.com', '2025-06-01');
  await jump(1300);
  expect(positionStats.refused - refused).toBe(1);
  // the refused jump asked for them again: 1,501 rows now, an anchor at row 1,500 too
  await anchorsBuilding(owner(), 'users');
  expect(anchorCount(owner(), 'users')).toBe(15);
  const used = positionStats.anchorsUsed;
  await jump(1201);
  expect(positionStats.anchorsUsed - used).toBe(1);
  // a user removed near the start, and one moved from the end to the start
  await querySql(db, `delete from users where id = (select id from users order by created_at, id offset 5 limit 1)`);
  await jump(900);
  await anchorsBuilding(owner(), 'users');
  await querySql(db, `update users set created_at = '2025-01-01' where id = (select id from users order by created_at desc, id desc limit 1)`);
  await jump(700);
  expect(positionStats.refused - refused).toBe(3);
  await anchorsBuilding(owner(), 'users');
  expect(anchorCount(owner(), 'users')).toBe(14);
});

test('creates after every anchor (Okta provisioning new people) keep the anchors', async () => {
  await buildAnchors(fork(), 'users');
  const { anchorsUsed, refused } = positionStats;
  await addUser('late@example.com', '2027-01-01');
  await addUser('later@example.com', '2027-01-02');
  await jump(1401);
  await jump(250);
  expect(positionStats.anchorsUsed - anchorsUsed).toBe(2);
  expect(positionStats.refused - refused).toBe(0);
  expect(anchorCount(owner(), 'users')).toBe(14);
});

test('a page past the end voids nothing: the anchors stay, none is read again', async () => {
  await buildAnchors(fork(), 'users');
  const { anchorBuilds, refused } = positionStats;
  const p = await db.store().users.list({ offset: 1600, limit: 100 });
  expect(p.items).toEqual([]);
  expect(await p.totalCount()).toBe(1500);
  await anchorsBuilding(owner(), 'users');
  expect(anchorCount(owner(), 'users')).toBe(14);
  expect(positionStats.anchorBuilds).toBe(anchorBuilds);
  expect(positionStats.refused).toBe(refused);
});

test('voided anchors are read again at most once per rebuildAfterMs', async () => {
  anchorSettings.rebuildAfterMs = 60_000;
  await requestAnchors(fork(), 'users');
  expect(anchorCount(owner(), 'users')).toBe(14);
  const builds = positionStats.anchorBuilds;
  await addUser('early@example.com', '2025-06-01');
  await jump(1300);
  await jump(1200);
  expect(anchorsBuilding(owner(), 'users')).toBeUndefined();
  expect(positionStats.anchorBuilds).toBe(builds);
});

test('random creates, deletes, moves and jumps: every page is what OFFSET paging gives', async () => {
  let seed = 7;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  await buildAnchors(fork(), 'users');
  const { anchorsUsed, refused } = positionStats;
  for (let i = 0; i < 40; i++) {
    const what = rnd(6);
    if (what === 0) await addUser(`r${i}@example.com`, rnd(2) ? '2027-01-01' : `2026-01-01 00:0${rnd(4)}:00`);
    else if (what === 1) await querySql(db, `delete from users where id = (select id from users order by created_at, id offset ? limit 1)`, [rnd(1400)]);
    else if (what === 2) await querySql(db, `update users set created_at = created_at - interval '1 minute' where id = (select id from users order by created_at, id offset ? limit 1)`, [rnd(1400)]);
    await jump(rnd(1500), 1 + rnd(120));
    await anchorsBuilding(owner(), 'users');
  }
  expect(positionStats.anchorsUsed - anchorsUsed).toBeGreaterThan(5);
  expect(positionStats.refused - refused).toBeGreaterThan(5);
});

test('a build that fails is reported and does not reject; pages go on without anchors', async () => {
  const errors: unknown[] = [];
  await requestAnchors(fork(), 'no_such_table', (err) => errors.push(err));
  expect(errors).toHaveLength(1);
  expect(anchorCount(owner(), 'no_such_table')).toBe(0);
  await jump(1200);
});

test('groups have anchors of their own', async () => {
  await querySql(
    db,
    `insert into groups (id, display_name, created_at, updated_at) select gen_random_uuid(), 'jump group ' || n, timestamptz '2026-01-01' + (n / 5) * interval '1 second', now() from generate_series(1, 350) as n`,
  );
  expect(await buildAnchors(fork(), 'groups')).toBe(3);
  const used = positionStats.anchorsUsed;
  const p = await db.store().groups.list({ offset: 321, limit: 10 });
  expect(p.items.map((g) => g.id)).toEqual((await querySql<{ id: string }>(db, 'select id from groups order by created_at, id limit 10 offset 321')).map((r) => r.id));
  expect(positionStats.anchorsUsed - used).toBe(1);
});

test('/metrics counts the builds and the pages that started from an anchor', async () => {
  const roster = await createApp({ config: loadConfig({ LOG_LEVEL: 'silent' }), db, logger: pino({ level: 'silent' }) });
  try {
    await buildAnchors(fork(), 'users');
    await db.store().users.list({ offset: 1234, limit: 1 });
    const res = await request(roster.app.callback()).get('/metrics').expect(200);
    expect(Number(/roster_list_anchor_builds_total (\d+)/.exec(res.text)?.[1])).toBe(positionStats.anchorBuilds);
    expect(Number(/roster_list_anchors_used_total (\d+)/.exec(res.text)?.[1])).toBe(positionStats.anchorsUsed);
    expect(positionStats.anchorsUsed).toBeGreaterThan(0);
  } finally {
    await roster.close();
  }
});
