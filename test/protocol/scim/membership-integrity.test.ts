import { randomUUID } from 'node:crypto';
import type { SqlEntityManager } from '@mikro-orm/sql';
import type { Response } from 'supertest';
import { frag } from '../../../src/persistence/sql/fragment.js';
import { runSql } from '../../../src/persistence/sql/run.js';
import { ScimTestApp, startScimApp } from './scim-app.js';
import { createGroup, createUser, expectScimError, memberIds, patchOp, scimClient, ScimClient, sql, URN, unique } from './scim-client.js';

/**
 * A membership always names a user or group that exists: the database refuses one that does not,
 * and a member deleted while a write adds it leaves nothing behind (the add waits for the delete,
 * then is refused, as a foreign key would make it).
 */
let app: ScimTestApp;
let c: ScimClient;
beforeAll(async () => {
  app = await startScimApp();
  c = scimClient(app);
});
afterAll(() => app.close());

const membershipsOf = async (memberId: string) => (await sql<{ n: number }>(app, 'select count(*)::int as n from memberships where member_id = ?', [memberId]))[0].n;

it('the database refuses a membership that names no user or group, whatever writes it', async () => {
  const g = await createGroup(c);
  const u = await createUser(c);
  await expect(sql(app, `insert into memberships (group_id, member_id, member_type) values (?, ?, 'User')`, [g.id, randomUUID()])).rejects.toThrow(/does not exist/);
  // a user's id declared as a group's, and a type that is neither
  await expect(sql(app, `insert into memberships (group_id, member_id, member_type) values (?, ?, 'Group')`, [g.id, u.id])).rejects.toThrow(/does not exist/);
  await expect(sql(app, `insert into memberships (group_id, member_id, member_type) values (?, ?, 'Robot')`, [g.id, u.id])).rejects.toThrow(/does not exist/);
  // one bad row refuses the whole statement
  await expect(sql(app, `insert into memberships (group_id, member_id, member_type) values (?, ?, 'User'), (?, ?, 'User')`, [g.id, u.id, g.id, randomUUID()])).rejects.toThrow(/does not exist/);
  expect(await memberIds(app, g.id)).toEqual([]);
  // what exists goes in, users and groups alike
  const inner = await createGroup(c);
  await sql(app, `insert into memberships (group_id, member_id, member_type) values (?, ?, 'User'), (?, ?, 'Group')`, [g.id, u.id, g.id, inner.id]);
  expect(await memberIds(app, g.id)).toEqual([u.id, inner.id].sort());
});

it('the migration removes memberships that already name nobody and gives their groups a new version', async () => {
  const u = await createUser(c);
  const g = await createGroup(c, [u.id]);
  const kept = await createGroup(c, [u.id]);
  const migrator = app.db.orm.migrator;
  await migrator.down();
  try {
    // as an earlier race left it: the member's row is gone, its membership is not
    const ghost = randomUUID();
    await sql(app, `insert into memberships (group_id, member_id, member_type) values (?, ?, 'User')`, [g.id, ghost]);
    expect(await membershipsOf(ghost)).toBe(1);
  } finally {
    await app.db.migrate();
  }
  expect(await memberIds(app, g.id)).toEqual([u.id]);
  const versions = await sql<{ id: string; version: number }>(app, 'select id::text, version from groups where id in (?, ?)', [g.id, kept.id]);
  expect(Object.fromEntries(versions.map((r) => [r.id, r.version]))).toEqual({ [g.id]: 2, [kept.id]: 1 });
  expect((await c.get(`/Groups/${g.id}`)).body.meta.version).toBe('W/"2"');
});

/**
 * Holds a DELETE /Users/{id} after it has taken the user's row and left the user's groups, and
 * before it commits: another transaction holds the row of one of the user's sign-in sessions, which
 * the delete ends in the same transaction. Runs `during` while the delete is held.
 */
async function duringDelete(userId: string, during: () => Promise<void>): Promise<number> {
  await sql(app, `insert into sessions (id, secret_hash, user_id, idp, role, created_at, last_seen_at, expires_at) values (?, ?, ?, 'okta', 'READER', now(), now(), now() + interval '1 hour')`, [
    randomUUID(),
    randomUUID().replaceAll('-', ''),
    userId,
  ]);
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let locked!: () => void;
  const lockedP = new Promise<void>((r) => (locked = r));
  const holder = (app.db.orm.em.fork() as SqlEntityManager).transactional(async (tx) => {
    await runSql(tx as SqlEntityManager, frag('select id from sessions where user_id = ? for update', [userId]));
    locked();
    await held;
  });
  await lockedP;
  const deletion = c.delete(`/Users/${userId}`).then((r) => r);
  try {
    await waitForWaiters(1);
    await during();
  } finally {
    release();
    await holder;
  }
  return (await deletion).status;
}

/** Waits until `n` statements wait on a lock in this database (a held write is under way). */
async function waitForWaiters(n: number): Promise<void> {
  // up to 10 s: a loaded CI machine
  for (let i = 0; i < 400; i++) {
    const [row] = await sql<{ n: number }>(app, `select count(*)::int as n from pg_locks l join pg_stat_activity a on a.pid = l.pid where not l.granted and a.datname = current_database()`);
    if (row.n >= n) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`fewer than ${n} statements waited on a lock`);
}

/** Group rows and group audit events, to show that a refused write left both as they were. */
const groupState = async () => ({
  groups: await sql<{ id: string; version: number }>(app, 'select id::text, version from groups order by id'),
  events: (await sql<{ n: number }>(app, `select count(*)::int as n from audit_events where resource_type = 'Group'`))[0].n,
});

/** Writes that add a member, each started while that member's delete is under way. */
const adds: [string, (userId: string, group: string) => Promise<Response>][] = [
  ['PATCH /Groups add (one statement)', (userId, group) => c.patch(`/Groups/${group}`, patchOp({ op: 'add', path: 'members', value: [{ value: userId }] }))],
  ['POST /Groups with members (a transaction)', (userId) => c.post('/Groups', { schemas: [URN.group], displayName: unique('racing'), members: [{ value: userId }] })],
];

const onPostgres = process.env.DATABASE_URL ? it.each(adds) : it.skip.each(adds);
onPostgres('%s of a user being deleted waits for the delete, then is refused: no membership names the deleted user', async (_label, add) => {
  const u = await createUser(c);
  const g = await createGroup(c);
  const before = await groupState();
  let answer!: Promise<Response>;
  const deleted = await duringDelete(u.id, async () => {
    const others = await createUser(c); // the app still serves other requests meanwhile
    expect(others.id).toBeDefined();
    answer = add(u.id, g.id).then((r) => r);
    // the add now waits on the user's row, which the delete holds
    await waitForWaiters(2);
  });
  expect(deleted).toBe(204);
  const res = await answer;
  expectScimError(res, 400, 'invalidValue');
  expect((res.body as { detail: string }).detail).toContain(`Member "${u.id}" does not exist.`);
  expect(await membershipsOf(u.id)).toBe(0);
  // the refused write changed nothing: no group made, no version bumped, no audit event
  expect(await groupState()).toEqual(before);
});

const onPostgresOnly = process.env.DATABASE_URL ? it : it.skip;
onPostgresOnly('a PATCH adding a member to a group being deleted waits for the delete, then answers 404: no membership names the deleted group', async () => {
  const u = await createUser(c);
  const g = await createGroup(c);
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let deleted!: () => void;
  const deletedP = new Promise<void>((r) => (deleted = r));
  // the group's delete, held before its commit: its row lock is what the add queues on
  const holder = (app.db.orm.em.fork() as SqlEntityManager).transactional(async (tx) => {
    await runSql(tx as SqlEntityManager, frag('delete from memberships where group_id = ?', [g.id]));
    await runSql(tx as SqlEntityManager, frag('delete from groups where id = ?', [g.id]));
    deleted();
    await held;
  });
  await deletedP;
  const answer = c.patch(`/Groups/${g.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: u.id }] })).then((r) => r);
  try {
    await waitForWaiters(1);
  } finally {
    release();
    await holder;
  }
  expectScimError(await answer, 404);
  expect((await sql<{ n: number }>(app, 'select count(*)::int as n from memberships where group_id = ?', [g.id]))[0].n).toBe(0);
  expect((await sql<{ n: number }>(app, `select count(*)::int as n from audit_events where resource_id = ? and action = 'group.update'`, [g.id]))[0].n).toBe(0);
});
