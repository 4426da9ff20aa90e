import { groupWriteStats } from '../../../src/domain/groups/group-service.js';
import { ScimTestApp, startScimApp } from './scim-app.js';
import { createGroup, createUser, expectScimError, memberIds, patchOp, scimClient, ScimClient, sql, unique, URN, userBody } from './scim-client.js';

/** Requests that race: nothing is lost, and the database decides uniqueness. */
let app: ScimTestApp;
let c: ScimClient;
beforeAll(async () => {
  app = await startScimApp();
  c = scimClient(app);
});
afterAll(() => app.close());

it('20 parallel PATCH adds of different members to one group lose nothing', async () => {
  const users = await Promise.all(Array.from({ length: 20 }, () => createUser(c).then((u) => u.id)));
  const g = await createGroup(c);
  const before = { ...groupWriteStats };
  const results = await Promise.all(users.map((id) => c.patch(`/Groups/${g.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: id }] }))));
  expect(results.map((r) => r.status)).toEqual(users.map(() => 204));
  expect(await memberIds(app, g.id)).toEqual([...users].sort());
  const read = await c.get(`/Groups/${g.id}`);
  expect(read.body.members).toHaveLength(20);
  expect(read.body.meta.version).toBe('W/"21"');
  // Members added take turns on the group's row lock in their one statement: none raced and ran
  // again, none took the locking path (on Postgres they used to, most of them: tens of ms each).
  expect(groupWriteStats).toEqual(before);
});

it('parallel full-list PUT /Groups of one group: a write that raced runs again behind the row lock, never on the locking path', async () => {
  const users = await Promise.all(Array.from({ length: 16 }, () => createUser(c).then((u) => u.id)));
  const g = await createGroup(c);
  const lockingPath = groupWriteStats.lockingPath;
  const results = await Promise.all(users.map((_, i) => c.put(`/Groups/${g.id}`, { schemas: [URN.group], displayName: g.displayName, members: users.slice(0, i + 1).map((value) => ({ value })) })));
  expect(results.map((r) => r.status)).toEqual(users.map(() => 200));
  // every PUT wrote (the lists differ): each its own version, and its answer lists exactly what it
  // wrote, not what a later writer left (the answer's members were read after the commit)
  expect(new Set(results.map((r) => r.headers.etag)).size).toBe(users.length);
  for (const [i, r] of results.entries()) expect(r.body.members.map((m: { value: string }) => m.value).sort()).toEqual(users.slice(0, i + 1).sort());
  const members = await memberIds(app, g.id);
  expect(
    users.map((_, i) =>
      users
        .slice(0, i + 1)
        .sort()
        .join(),
    ),
  ).toContain(members.join());
  expect(groupWriteStats.lockingPath).toBe(lockingPath);
});

const groupUpdates = (app: ScimTestApp, groupId: string) => sql<{ changed: string[] }>(app, `select changed from audit_events where resource_id = ? and action = 'group.update'`, [groupId]);

it('parallel PATCHes adding and removing members of one group keep every change, its version and its audit event', async () => {
  const users = await Promise.all(Array.from({ length: 16 }, () => createUser(c).then((u) => u.id)));
  const [leaving, joining] = [users.slice(0, 8), users.slice(8)];
  const g = await createGroup(c, leaving);
  const results = await Promise.all([
    ...leaving.map((id) => c.patch(`/Groups/${g.id}`, patchOp({ op: 'remove', path: `members[value eq "${id}"]` }))),
    ...joining.map((id) => c.patch(`/Groups/${g.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: id }] }))),
  ]);
  expect(results.map((r) => r.status)).toEqual(users.map(() => 204));
  expect(await memberIds(app, g.id)).toEqual([...joining].sort());
  expect((await c.get(`/Groups/${g.id}`)).body.meta.version).toBe(`W/"${1 + users.length}"`);
  // every ETag handed out is a distinct version: no two writes were answered with the same one
  expect(new Set(results.map((r) => r.headers.etag)).size).toBe(users.length);
  expect(await groupUpdates(app, g.id)).toEqual(users.map(() => ({ changed: ['members'] })));
});

it('parallel PATCHes adding the same member: every one 204, one change, one audit event', async () => {
  const u = await createUser(c);
  const g = await createGroup(c);
  const results = await Promise.all(Array.from({ length: 8 }, () => c.patch(`/Groups/${g.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: u.id }] }))));
  expect(results.map((r) => r.status)).toEqual(results.map(() => 204));
  expect(await memberIds(app, g.id)).toEqual([u.id]);
  expect((await c.get(`/Groups/${g.id}`)).body.meta.version).toBe('W/"2"');
  expect(await groupUpdates(app, g.id)).toHaveLength(1);
});

it('parallel PATCHes of one group with the same If-Match: one wins, the others are 412 and wrote nothing', async () => {
  const users = await Promise.all(Array.from({ length: 4 }, () => createUser(c).then((u) => u.id)));
  const g = await createGroup(c);
  const results = await Promise.all(users.map((id) => c.patch(`/Groups/${g.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: id }] })).set('If-Match', 'W/"1"')));
  const won = results.findIndex((r) => r.status === 204);
  expect(won).toBeGreaterThanOrEqual(0);
  for (const r of results.filter((x) => x.status !== 204)) expectScimError(r, 412);
  expect(await memberIds(app, g.id)).toEqual([users[won]]);
  expect(await groupUpdates(app, g.id)).toHaveLength(1);
});

it('parallel full-list PUT /Groups and PATCHes of one group: no 5xx, and membership is what the last writer left', async () => {
  const users = await Promise.all(Array.from({ length: 6 }, () => createUser(c).then((u) => u.id)));
  const g = await createGroup(c, users.slice(0, 3));
  const put = (ids: string[]) => c.put(`/Groups/${g.id}`, { schemas: [URN.group], displayName: g.displayName, members: ids.map((value) => ({ value })) });
  const results = await Promise.all([
    put(users.slice(0, 4)),
    c.patch(`/Groups/${g.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: users[5] }] })),
    put(users.slice(1, 5)),
    c.patch(`/Groups/${g.id}`, patchOp({ op: 'remove', path: `members[value eq "${users[1]}"]` })),
  ]);
  expect(results.map((r) => r.status)).toEqual([200, 204, 200, 204]);
  const read = await c.get(`/Groups/${g.id}`);
  const version = Number(/W\/"(\d+)"/.exec(read.body.meta.version)![1]);
  // each write that changed membership bumped the version once and wrote one audit event
  expect(await groupUpdates(app, g.id)).toHaveLength(version - 1);
  expect(read.body.members.map((m: { value: string }) => m.value).sort()).toEqual(await memberIds(app, g.id));
});

it('10 parallel POST /Users with one userName: exactly one 201, the rest 409 uniqueness', async () => {
  const userName = unique('race');
  const results = await Promise.all(Array.from({ length: 10 }, (_, i) => c.post('/Users', userBody({ userName: i % 2 ? userName.toUpperCase() : userName }))));
  const created = results.filter((r) => r.status === 201);
  expect(created).toHaveLength(1);
  for (const r of results.filter((x) => x.status !== 201)) expectScimError(r, 409, 'uniqueness');
  const list = await c.get('/Users').query({ filter: `userName eq "${userName}"` });
  expect(list.body.totalResults).toBe(1);
});

it('10 parallel POST /Groups with one displayName: exactly one 201', async () => {
  const displayName = unique('race-group');
  const results = await Promise.all(Array.from({ length: 10 }, () => c.post('/Groups', { schemas: [URN.group], displayName })));
  expect(results.filter((r) => r.status === 201)).toHaveLength(1);
  for (const r of results.filter((x) => x.status !== 201)) expectScimError(r, 409, 'uniqueness');
});

it('parallel PATCHes of different attributes of one user (no If-Match) all land', async () => {
  const u = await createUser(c);
  const fields = ['title', 'nickName', 'displayName', 'userType', 'locale', 'timezone', 'preferredLanguage', 'profileUrl'];
  const results = await Promise.all(fields.map((f) => c.patch(`/Users/${u.id}`, patchOp({ op: 'replace', path: f, value: `v-${f}` }))));
  expect(results.map((r) => r.status)).toEqual(fields.map(() => 204));
  const read = (await c.get(`/Users/${u.id}`)).body;
  for (const f of fields) expect(read[f]).toBe(`v-${f}`);
  expect(read.meta.version).toBe(`W/"${fields.length + 1}"`);
});

it('parallel PATCHes with the same If-Match: one wins, the others are 412', async () => {
  const u = await createUser(c);
  const results = await Promise.all(['a', 'b', 'c', 'd'].map((v) => c.patch(`/Users/${u.id}`, patchOp({ op: 'replace', path: 'title', value: v })).set('If-Match', 'W/"1"')));
  expect(results.filter((r) => r.status === 204)).toHaveLength(1);
  for (const r of results.filter((x) => x.status !== 204)) expectScimError(r, 412);
});

it('parallel PUTs without If-Match: the last writer wins, none is refused', async () => {
  const u = await createUser(c);
  const g = await createGroup(c);
  const titles = ['a', 'b', 'c', 'd', 'e', 'f'];
  const users = await Promise.all(titles.map((title) => c.put(`/Users/${u.id}`, userBody({ userName: u.userName, title }))));
  expect(users.map((r) => r.status)).toEqual(titles.map(() => 200));
  const groups = await Promise.all(titles.map((t) => c.put(`/Groups/${g.id}`, { schemas: [URN.group], displayName: `${g.displayName}-${t}` })));
  expect(groups.map((r) => r.status)).toEqual(titles.map(() => 200));
});
