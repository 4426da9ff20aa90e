import request from 'supertest';
import { createTestApp, TestApp } from '../../support/app.js';
import { recordSqlText } from '../../support/sql-wire.js';
import type { ScimTestApp } from './scim-app.js';
import { createGroup, expectScimError, Json, patchOp, scimClient, ScimClient, unique, URN } from './scim-client.js';

/**
 * A user's write by its owner (Okta's profile push, a deactivation) is one statement that answers
 * from its own rows: what it answers is what a read then gives, its audit event names what changed,
 * a no-op writes nothing, another IdP's write still meets the ownership rules, and a deactivation
 * ends the user's sessions. Over real HTTP, on the test database (PGlite or Postgres).
 */
let t: TestApp;
let okta: ScimClient;
let entra: ScimClient;
let wire: ReturnType<typeof recordSqlText>;

beforeAll(async () => {
  wire = recordSqlText();
  t = await createTestApp();
  const token = async (idp: string) =>
    (await t.ok<{ activateProvisioning: { token: string } }>('mutation($i: String!) { activateProvisioning(idp: $i) { token } }', { i: idp })).activateProvisioning.token;
  const agent = { http: request(t.server) } as unknown as ScimTestApp;
  okta = scimClient(agent, await token('okta'));
  entra = scimClient(agent, await token('entra'));
});
afterAll(async () => {
  wire.stop();
  await t.close();
});

const audits = (id: string) => t.sql<{ action: string; changed: string[] }>('select action, changed from audit_events where resource_id = ? order by at, id', [id]);
const row = async (id: string) =>
  (
    await t.sql<{ version: number; updated_at: Date; has_password: boolean; source: string }>('select version, updated_at, password_hash is not null as has_password, source from users where id = ?', [
      id,
    ])
  )[0];

/** The whole profile Okta pushes, with overrides. */
const profile = (userName: string, overrides: Json = {}): Json => ({
  schemas: [URN.user, URN.enterprise],
  userName,
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  displayName: 'Ada Lovelace',
  title: 'Engineer',
  emails: [{ value: `${userName}@example.com`, type: 'work', primary: true }],
  phoneNumbers: [{ value: '+1 555 0100', type: 'mobile' }],
  [URN.enterprise]: { department: 'R&D', manager: { value: 'boss-1' } },
  ...overrides,
});

const created = async (overrides: Json = {}) => {
  const userName = unique('push');
  const res = await okta.post('/Users', profile(userName, overrides)).expect(201);
  return { id: res.body.id as string, userName, body: res.body as Json };
};

test('a PUT answers with the body and ETag that a GET then gives, byte for byte, groups included', async () => {
  const u = await created();
  const [g1, g2] = [await createGroup(okta, [u.id]), await createGroup(okta, [u.id])];
  const put = await okta.put(`/Users/${u.id}`, profile(u.userName, { title: 'Principal Engineer' })).expect(200);
  const get = await okta.get(`/Users/${u.id}`).expect(200);
  expect(put.headers.etag).toBe('W/"2"');
  expect(put.headers.etag).toBe(get.headers.etag);
  expect(put.text).toBe(get.text);
  expect(put.body.title).toBe('Principal Engineer');
  expect((put.body.groups as { value: string }[]).map((g) => g.value).sort()).toEqual([g1.id, g2.id].sort());
  // and a PUT that changes nothing answers what a read gives too
  const again = await okta.put(`/Users/${u.id}`, profile(u.userName, { title: 'Principal Engineer' })).expect(200);
  expect(again.headers.etag).toBe(get.headers.etag);
  expect(again.text).toBe(get.text);
});

test('a PATCH answered with the resource answers what a GET with the same attributes gives', async () => {
  const u = await created();
  await createGroup(okta, [u.id]);
  const patched = await okta.patch(`/Users/${u.id}?excludedAttributes=emails`, patchOp({ op: 'replace', path: 'title', value: 'Lead' })).expect(200);
  const get = await okta.get(`/Users/${u.id}?excludedAttributes=emails`).expect(200);
  expect(patched.headers.etag).toBe(get.headers.etag);
  expect(patched.text).toBe(get.text);
});

test("a PUT's audit event names exactly the attributes it changed, in the usual order and labels", async () => {
  const u = await created();
  await okta.put(`/Users/${u.id}`, profile(u.userName, { name: { givenName: 'Augusta', familyName: 'Lovelace' } })).expect(200);
  expect((await audits(u.id)).at(-1)).toEqual({ action: 'user.update', changed: ['name.givenName'] });
  await okta.put(`/Users/${u.id}`, profile(u.userName, { name: { givenName: 'Augusta', familyName: 'Lovelace' }, [URN.enterprise]: { department: 'R&D', manager: { value: 'boss-2' } } })).expect(200);
  expect((await audits(u.id)).at(-1)).toEqual({ action: 'user.update', changed: ['manager'] });
  // several at once, a password among them: in the order of the attributes, the password last
  const res = await okta
    .put(
      `/Users/${u.id}`,
      profile(u.userName.toUpperCase(), {
        title: 'CTO',
        password: 'Secret-123!',
        emails: [{ value: `${u.userName}@example.com`, type: 'work', primary: true }],
        phoneNumbers: [],
        [URN.enterprise]: { department: 'R&D', manager: { value: 'boss-2' } },
      }),
    )
    .expect(200);
  expect((await audits(u.id)).at(-1)).toEqual({
    action: 'user.update',
    changed: ['userName', 'name.givenName', 'title', 'phoneNumbers', 'password'],
  });
  expect(res.headers.etag).toBe('W/"4"');
  expect((await row(u.id)).has_password).toBe(true);
  // an omitted password is kept (IdPs rarely send it again); the event does not name it
  await okta.put(`/Users/${u.id}`, profile(u.userName, { title: 'CEO' })).expect(200);
  expect((await audits(u.id)).at(-1)?.changed).toEqual(['userName', 'title', 'phoneNumbers', 'manager']);
  expect((await row(u.id)).has_password).toBe(true);
});

test('a PUT that changes nothing leaves the version, lastModified and the audit trail alone', async () => {
  const u = await created({ password: 'Secret-123!' });
  const before = await row(u.id);
  const events = await audits(u.id);
  const put = await okta.put(`/Users/${u.id}`, profile(u.userName)).expect(200);
  expect(put.headers.etag).toBe('W/"1"');
  expect(put.body.meta.lastModified).toBe((u.body.meta as Json).lastModified);
  expect(await row(u.id)).toEqual(before);
  expect(await audits(u.id)).toEqual(events);
});

test('a PUT to a userName another user has is a uniqueness error that writes nothing', async () => {
  const [a, b] = [await created(), await created()];
  expectScimError(await okta.put(`/Users/${b.id}`, profile(a.userName.toUpperCase())), 409, 'uniqueness');
  expect((await row(b.id)).version).toBe(1);
  expect(await audits(b.id)).toHaveLength(1);
});

test("another IdP's PUT of an owned user is refused by the ownership rules (and audited), writing nothing", async () => {
  const u = await created();
  const res = await entra.put(`/Users/${u.id}`, profile(u.userName, { title: 'Hijacked' }));
  expectScimError(res, 403);
  expect(await row(u.id)).toMatchObject({ version: 1, source: 'okta' });
  expect((await audits(u.id)).map((a) => a.action)).toEqual(['user.create', 'user.write.refused']);
  // with the current version in If-Match too
  expectScimError(await entra.put(`/Users/${u.id}`, profile(u.userName)).set('If-Match', 'W/"1"'), 403);
  // the owner's stale If-Match is a 412
  expectScimError(await okta.put(`/Users/${u.id}`, profile(u.userName, { title: 'Late' })).set('If-Match', 'W/"7"'), 412);
  expect((await row(u.id)).version).toBe(1);
});

test('a local user is adopted by the first PUT of an IdP that adopts, through the locking path', async () => {
  const local = (await t.ok<{ createUser: { id: string; userName: string } }>('mutation($u: String!) { createUser(input: { userName: $u, title: "Local" }) { id userName } }', { u: unique('local') }))
    .createUser;
  await t.ok('mutation { setProvisioningAdoption(idp: "entra", adoptLocal: true) { idp } }');
  try {
    const res = await entra.put(`/Users/${local.id}`, { schemas: [URN.user], userName: local.userName, title: 'Adopted' }).expect(200);
    expect(res.headers.etag).toBe('W/"2"');
    expect(res.text).toBe((await entra.get(`/Users/${local.id}`)).text);
    expect(await row(local.id)).toMatchObject({ source: 'entra', version: 2 });
    expect((await audits(local.id)).map((a) => [a.action, a.changed])).toEqual([
      ['user.create', expect.any(Array)],
      ['user.adopt', ['source']],
      ['user.update', ['title']],
    ]);
  } finally {
    await t.ok('mutation { setProvisioningAdoption(idp: "entra", adoptLocal: false) { idp } }');
  }
});

/** What a request sent about users and their groups (the credential is cached; SCIM request logging is batched). */
const statementsOf = async (send: () => Promise<unknown>) => {
  const from = wire.texts.length;
  await send();
  return wire.texts.slice(from).filter((s) => /\b(users|memberships)\b/.test(s));
};

const addSession = (userId: string, ended = false) =>
  t.sql(
    `insert into sessions (id, secret_hash, user_id, idp, role, created_at, last_seen_at, expires_at, ended_at, end_reason)
     values (gen_random_uuid(), md5(random()::text), ?, 'okta', 'READER', now(), now(), now() + interval '1 hour', ${ended ? "now(), 'signed_out'" : 'null, null'})`,
    [userId],
  );
const sessions = (userId: string) => t.sql<{ end_reason: string | null }>('select end_reason from sessions where user_id = ? order by end_reason nulls first', [userId]);

test("a deactivation ends the user's live sessions with the write; the audit names active; a second one is a no-op", async () => {
  const u = await created();
  await addSession(u.id);
  await addSession(u.id);
  await addSession(u.id, true);
  // a change that does not deactivate ends nothing
  await okta.patch(`/Users/${u.id}`, patchOp({ op: 'replace', path: 'title', value: 'Leaving' })).expect(204);
  expect((await sessions(u.id)).map((s) => s.end_reason)).toEqual([null, null, 'signed_out']);
  const res = await okta.patch(`/Users/${u.id}`, patchOp({ op: 'replace', value: { active: false } })).expect(204);
  expect(res.headers.etag).toBe('W/"3"');
  expect((await sessions(u.id)).map((s) => s.end_reason)).toEqual(['signed_out', 'user_deactivated', 'user_deactivated']);
  expect((await audits(u.id)).at(-1)).toEqual({ action: 'user.update', changed: ['active'] });
  const again = await okta.patch(`/Users/${u.id}`, patchOp({ op: 'replace', value: { active: false } })).expect(204);
  expect(again.headers.etag).toBe('W/"3"');
  expect(await audits(u.id)).toHaveLength(3);
  expect((await okta.get(`/Users/${u.id}`)).body.active).toBe(false);
});

test('a PUT with active false ends the sessions too; reactivating starts none and ends none', async () => {
  const u = await created();
  await addSession(u.id);
  await okta.put(`/Users/${u.id}`, profile(u.userName, { active: false })).expect(200);
  expect((await sessions(u.id)).map((s) => s.end_reason)).toEqual(['user_deactivated']);
  await addSession(u.id);
  const res = await okta.put(`/Users/${u.id}`, profile(u.userName, { active: true })).expect(200);
  expect(res.body.active).toBe(true);
  expect((await sessions(u.id)).map((s) => s.end_reason)).toEqual([null, 'user_deactivated']);
});

test('parallel PUTs of one user without If-Match: each lands once, with its own version and audit event', async () => {
  const u = await created();
  const titles = Array.from({ length: 8 }, (_, i) => `t-${i}`);
  const results = await Promise.all(titles.map((title) => okta.put(`/Users/${u.id}`, profile(u.userName, { title }))));
  expect(results.map((r) => r.status)).toEqual(titles.map(() => 200));
  // no two writers won with the same version, and each answer is its own write
  expect(new Set(results.map((r) => r.headers.etag)).size).toBe(titles.length);
  results.forEach((r, i) => expect(r.body.title).toBe(titles[i]));
  expect((await row(u.id)).version).toBe(1 + titles.length);
  expect((await audits(u.id)).filter((a) => a.action === 'user.update').map((a) => a.changed)).toEqual(titles.map(() => ['title']));
});

test('parallel deactivations and activations of one user: every answer a distinct version, the sessions ended', async () => {
  const u = await created();
  await addSession(u.id);
  const ops = [false, true, false, true, false, true];
  const results = await Promise.all(ops.map((active) => okta.patch(`/Users/${u.id}`, patchOp({ op: 'replace', value: { active } }))));
  expect(results.map((r) => r.status)).toEqual(ops.map(() => 204));
  const versions = results.map((r) => r.headers.etag);
  const updates = (await audits(u.id)).filter((a) => a.action === 'user.update');
  // a write that found the user already as it asked wrote nothing and answered the version it found
  expect(new Set(versions).size).toBe(updates.length + (versions.includes('W/"1"') ? 1 : 0));
  expect((await row(u.id)).version).toBe(1 + updates.length);
  expect((await sessions(u.id)).map((s) => s.end_reason)).toEqual(['user_deactivated']);
});

test("an owner's PUT and a deactivation are one statement each: the write, with no read before it", async () => {
  const u = await created();
  const put = await statementsOf(() => okta.put(`/Users/${u.id}`, profile(u.userName, { title: 'One statement' })).expect(200));
  expect(put).toHaveLength(1);
  expect(put[0]).toMatch(/^with u0 as \(select /);
  // the PUT answers with the user's groups, read in the same statement; a 204 carries none, so its write reads none
  expect(put[0]).toMatch(/\bmemberships\b/);
  // replacing simple attributes needs nothing of the stored user: no read before the write
  const deactivate = await statementsOf(() => okta.patch(`/Users/${u.id}`, patchOp({ op: 'replace', value: { active: false } })).expect(204));
  expect(deactivate).toHaveLength(1);
  expect(deactivate[0]).toMatch(/^with u0 as \(select /);
  expect(deactivate[0]).not.toMatch(/\bmemberships\b/);
  // a PUT pinned by If-Match reads the user first, as before
  const pinned = await statementsOf(() =>
    okta
      .put(`/Users/${u.id}`, profile(u.userName, { title: 'Pinned' }))
      .set('If-Match', 'W/"3"')
      .expect(200),
  );
  expect(pinned).toHaveLength(2);
});

test('a PUT without a read keeps an omitted active, answers 404 before 400, and refuses what the read-first path refuses', async () => {
  const u = await created();
  await okta.patch(`/Users/${u.id}`, patchOp({ op: 'replace', value: { active: false } })).expect(204);
  // Okta's profile push leaves `active` out: a disabled user stays disabled (and null is the same as out)
  const kept = await okta.put(`/Users/${u.id}`, profile(u.userName, { title: 'Still away' })).expect(200);
  expect([kept.body.active, kept.body.title]).toEqual([false, 'Still away']);
  expect((await okta.put(`/Users/${u.id}`, profile(u.userName, { title: 'Still away', active: null })).expect(200)).body.active).toBe(false);
  expect((await audits(u.id)).at(-1)).toEqual({ action: 'user.update', changed: ['title'] });
  // a missing user is a 404, even when the body is also bad
  const missing = '00000000-0000-4000-8000-0000000000ab';
  expectScimError(await okta.put(`/Users/${missing}`, profile('nobody')), 404);
  expectScimError(await okta.put(`/Users/${missing}`, profile('nobody', { active: 'not a boolean' })), 404);
  expectScimError(await okta.put('/Users/not-a-uuid', profile('nobody', { active: 'not a boolean' })), 404);
  expectScimError(await okta.put(`/Users/${u.id}`, profile(u.userName, { active: 'not a boolean' })), 400, 'invalidValue');
  expectScimError(await okta.put(`/Users/${u.id}`, { schemas: [URN.user] }), 400, 'invalidValue');
  // a stale If-Match is a 412, and nothing of these changed the user
  expectScimError(await okta.put(`/Users/${u.id}`, profile(u.userName, { title: 'Stale' })).set('If-Match', 'W/"1"'), 412);
  expect((await row(u.id)).version).toBe(3);
});

test('a PATCH that only replaces simple attributes skips the read and still answers as the read-first path does', async () => {
  const u = await created();
  // Entra's form: a path, "Replace", and the boolean as a string
  const entraForm = await statementsOf(() => okta.patch(`/Users/${u.id}`, patchOp({ op: 'Replace', path: 'active', value: 'False' }, { op: 'replace', path: 'title', value: 'Gone' })).expect(204));
  expect(entraForm).toHaveLength(1);
  const after = (await okta.get(`/Users/${u.id}`).expect(200)).body as Json;
  expect([after.active, after.title]).toEqual([false, 'Gone']);
  expect((await audits(u.id)).at(-1)).toEqual({ action: 'user.update', changed: ['active', 'title'] });
  // the same values again: nothing written, the version it found
  const again = await okta.patch(`/Users/${u.id}`, patchOp({ op: 'replace', value: { active: false, title: 'Gone' } })).expect(204);
  expect(again.headers.etag).toBe('W/"2"');
  // a missing user is a 404, even when the operation is also bad
  const missing = '00000000-0000-4000-8000-0000000000aa';
  expectScimError(await okta.patch(`/Users/${missing}`, patchOp({ op: 'replace', value: { active: false } })), 404);
  expectScimError(await okta.patch(`/Users/${missing}`, patchOp({ op: 'replace', path: 'active', value: 'not a boolean' })), 404);
  expectScimError(await okta.patch(`/Users/${u.id}`, patchOp({ op: 'replace', path: 'active', value: 'not a boolean' })), 400, 'invalidValue');
  // a taken userName is a 409 and changes nothing
  const other = await created();
  expectScimError(await okta.patch(`/Users/${u.id}`, patchOp({ op: 'replace', path: 'userName', value: other.userName })), 409, 'uniqueness');
  // another IdP's PATCH meets the ownership rules as before
  expectScimError(await entra.patch(`/Users/${u.id}`, patchOp({ op: 'replace', value: { active: true } })), 403);
  expect((await row(u.id)).version).toBe(2);
  // what needs the stored user, or pins a version, or asks for the resource back, reads it first
  const multi = await statementsOf(() => okta.patch(`/Users/${u.id}`, patchOp({ op: 'add', path: 'emails', value: [{ value: 'x@example.com', type: 'work' }] })).expect(204));
  expect(multi).toHaveLength(2);
  const pinned = await statementsOf(() =>
    okta
      .patch(`/Users/${u.id}`, patchOp({ op: 'replace', value: { active: true } }))
      .set('If-Match', 'W/"3"')
      .expect(204),
  );
  expect(pinned).toHaveLength(2);
  expectScimError(await okta.patch(`/Users/${u.id}`, patchOp({ op: 'replace', value: { active: false } })).set('If-Match', 'W/"3"'), 412);
  const withBody = await okta.patch(`/Users/${u.id}?attributes=active`, patchOp({ op: 'replace', value: { active: false } })).expect(200);
  expect(withBody.body).toMatchObject({ id: u.id, active: false });
});

test('over GraphQL, a bad value for a missing or unowned user is reported after the 404 or the refusal, as before', async () => {
  const u = await created();
  const long = 'x'.repeat(3000);
  const update = (id: string) => t.gql('mutation($id: ID!, $t: String) { updateUser(id: $id, input: { title: $t }) { id } }', { id, t: long });
  expect((await update('00000000-0000-4000-8000-000000000001')).codes).toEqual(['NOT_FOUND']);
  expect((await update(u.id)).codes).toEqual(['MANAGED_BY_IDP']);
  expect((await row(u.id)).version).toBe(1);
});

test("over GraphQL, an update of the key's own user answers with the groups when asked for them, directly or in a fragment, and without reading them otherwise", async () => {
  // a local user and group: the API key owns them, so its writes take the single statement
  const u = (await t.ok<{ createUser: { id: string } }>('mutation($u: String!) { createUser(input: { userName: $u }) { id } }', { u: unique('local') })).createUser;
  const g = (await t.ok<{ createGroup: { id: string } }>('mutation($i: GroupInputType!) { createGroup(input: $i) { id } }', { i: { displayName: unique('local-group'), members: [{ id: u.id }] } }))
    .createGroup;
  type Answer = { updateUser: { title: string; groups?: { id: string }[] } };
  const update = (selection: string, title: string, variables: Json = {}, fragments = '') =>
    t.ok<Answer>(`mutation($id: ID!, $no: Boolean!) { updateUser(id: $id, input: { title: "${title}" }) ${selection} } ${fragments}`, { id: u.id, no: false, ...variables });
  let answer!: Answer;
  // one statement: the write, with the groups it answers with
  const direct = await statementsOf(async () => (answer = await update('{ title groups @skip(if: $no) { id } }', 'One')));
  expect(answer.updateUser).toEqual({ title: 'One', groups: [{ id: g.id }] });
  expect(direct).toHaveLength(1);
  expect(direct[0]).toMatch(/^with u0 as .*\bmemberships\b/);
  const viaFragment = await statementsOf(async () => (answer = await update('{ ...F }', 'Two', {}, 'fragment F on User { title ... on User { groups @include(if: true) @skip(if: $no) { id } } }')));
  expect(answer.updateUser).toEqual({ title: 'Two', groups: [{ id: g.id }] });
  expect(viaFragment).toHaveLength(1);
  // groups skipped: the write reads none
  const lean = await statementsOf(async () => (answer = await update('{ title groups @skip(if: $no) { id } }', 'Three', { no: true })));
  expect(answer.updateUser).toEqual({ title: 'Three' });
  expect(lean).toHaveLength(1);
  expect(lean[0]).not.toMatch(/\bmemberships\b/);
  const deactivated = await t.ok<{ deactivateUser: { active: boolean; groups: { id: string }[] } }>('mutation($id: ID!) { deactivateUser(id: $id) { active groups { id } } }', {
    id: u.id,
  });
  expect(deactivated.deactivateUser).toEqual({ active: false, groups: [{ id: g.id }] });
});
