import { ScimTestApp, startScimApp } from './scim-app.js';
import { createGroup, createUser, expectScimError, memberIds, patchOp, scimClient, ScimClient, unique, URN, userBody } from './scim-client.js';

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
  const results = await Promise.all(users.map((id) => c.patch(`/Groups/${g.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: id }] }))));
  expect(results.map((r) => r.status)).toEqual(users.map(() => 204));
  expect(await memberIds(app, g.id)).toEqual([...users].sort());
  const read = await c.get(`/Groups/${g.id}`);
  expect(read.body.members).toHaveLength(20);
  expect(read.body.meta.version).toBe('W/"21"');
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
