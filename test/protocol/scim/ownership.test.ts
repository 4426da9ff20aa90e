import request from 'supertest';
import { runCli } from '../../../src/cli/run.js';
import { createTestApp, TestApp } from '../../support/app.js';
import type { ScimTestApp } from './scim-app.js';
import { createGroup, createUser, expectScimError, Json, ListBody, patchOp, scimClient, ScimClient, unique, URN, userBody } from './scim-client.js';

/**
 * Ownership (DESIGN §5): a SCIM token writes only what its IdP manages; reads stay open; a local
 * user or group is adopted only when adoption is on for the IdP; an IdP-managed group is deleted
 * locally only with force, and the IdP can push its name again. Over HTTP, SCIM and GraphQL.
 */
let t: TestApp;
let okta: ScimClient;
let entra: ScimClient;
let entraToken: string;
let adminKey: string;

beforeAll(async () => {
  t = await createTestApp();
  const token = async (idp: string) =>
    (await t.ok<{ activateProvisioning: { token: string } }>('mutation($i: String!) { activateProvisioning(idp: $i) { token } }', { i: idp })).activateProvisioning.token;
  // The SCIM client needs only a supertest agent on the server.
  const agent = { http: request(t.server) } as unknown as ScimTestApp;
  okta = scimClient(agent, await token('okta'));
  entraToken = await token('entra');
  entra = scimClient(agent, entraToken);
  adminKey = await t.apiKey('ADMIN');
});
afterAll(() => t.close());

interface Row {
  source: string;
  version: number;
  title: string | null;
  active: boolean;
}
const userRow = async (id: string): Promise<Row | undefined> => (await t.sql<Row>('select source, version, title, active from users where id = ?', [id]))[0];
const groupRow = async (id: string) => (await t.sql<{ source: string; version: number; display_name: string }>('select source, version, display_name from groups where id = ?', [id]))[0];
// Events of one transaction share their timestamp; `action` breaks the tie so the order is stable.
const audits = (id: string) =>
  t.sql<{ action: string; actor_label: string; changed: string[] }>('select action, actor_label, changed from audit_events where resource_id = ? order by at, action', [id]);
const actionsOf = async (id: string) => (await audits(id)).map((a) => a.action);

const SET_ADOPTION = 'mutation($i: String!, $a: Boolean!) { setProvisioningAdoption(idp: $i, adoptLocal: $a) { idp adoptLocal active } }';
const setAdoption = (idp: string, on: boolean) => t.ok(SET_ADOPTION, { i: idp, a: on }, adminKey);
const localUser = async () =>
  (await t.ok<{ createUser: { id: string; userName: string } }>('mutation($u: String!) { createUser(input: { userName: $u, title: "Local" }) { id userName } }', { u: unique('local') })).createUser;
const localGroup = async (members: string[] = []) =>
  (
    await t.ok<{ createGroup: { id: string; displayName: string } }>('mutation($i: GroupInputType!) { createGroup(input: $i) { id displayName } }', {
      i: { displayName: unique('local-group'), members: members.map((id) => ({ id })) },
    })
  ).createGroup;

/** A refusal: 403 with an RFC 7644 error body that does not name the owner. */
function expectRefused(res: request.Response, owner: string): void {
  expectScimError(res, 403);
  expect(res.body.detail).toMatch(/not managed by the identity provider "(okta|entra)"/);
  expect(res.body.detail).not.toContain(`"${owner}"`);
}

describe("another IdP's users", () => {
  it('are refused to PATCH, PUT and DELETE with 403, audited, and left unchanged', async () => {
    const u = await createUser(okta, { title: 'Engineer' });
    const before = await userRow(u.id);
    expect(before).toMatchObject({ source: 'okta', title: 'Engineer' });

    expectRefused(await entra.patch(`/Users/${u.id}`, patchOp({ op: 'Replace', path: 'title', value: 'Taken over' })), 'okta');
    expectRefused(await entra.patch(`/Users/${u.id}`, patchOp({ op: 'replace', path: 'active', value: 'False' })), 'okta');
    // a PATCH that would change nothing is refused too: the caller may not write this user at all
    expectRefused(await entra.patch(`/Users/${u.id}`, patchOp({ op: 'replace', path: 'title', value: 'Engineer' })), 'okta');
    expectRefused(await entra.put(`/Users/${u.id}`, { schemas: [URN.user], userName: u.userName, title: 'Taken over' }), 'okta');
    expectRefused(await entra.delete(`/Users/${u.id}`), 'okta');

    expect(await userRow(u.id)).toEqual(before);
    const rows = await audits(u.id);
    expect(rows.map((r) => [r.action, r.changed])).toEqual([
      ['user.create', expect.any(Array)],
      ['user.write.refused', ['update']],
      ['user.write.refused', ['update']],
      ['user.write.refused', ['update']],
      ['user.write.refused', ['update']],
      ['user.write.refused', ['delete']],
    ]);
    expect(rows.slice(1).every((r) => r.actor_label.endsWith('(entra)'))).toBe(true);

    // The owner still writes it.
    expect((await okta.patch(`/Users/${u.id}`, patchOp({ op: 'replace', path: 'title', value: 'Lead' }))).status).toBe(204);
    expect((await userRow(u.id))?.title).toBe('Lead');
  });

  it('stay readable and listable by every IdP', async () => {
    const u = await createUser(okta);
    for (const c of [okta, entra]) {
      const got = await c.get(`/Users/${u.id}`);
      expect(got.status).toBe(200);
      expect(got.body).toMatchObject({ id: u.id, userName: u.userName });
      const listed = await c.get(`/Users?filter=${encodeURIComponent(`userName eq "${u.userName}"`)}`);
      expect(listed.status).toBe(200);
      expect((listed.body as ListBody).Resources.map((r) => r.id)).toEqual([u.id]);
    }
  });

  it('cannot be taken by POSTing the same userName: 409 without naming the owner', async () => {
    const u = await createUser(okta);
    const local = await localUser();
    for (const userName of [u.userName, u.userName.toUpperCase(), local.userName]) {
      const res = await entra.post('/Users', userBody({ userName }));
      expectScimError(res, 409, 'uniqueness');
      // The detail names the userName only: never who manages the existing user.
      expect(res.body.detail).toBe(`userName ${JSON.stringify(userName)} is already taken.`);
    }
    expect(await userRow(u.id)).toMatchObject({ source: 'okta' });
    expect((await t.sql<{ source: string }>('select source from users where id = ?', [local.id]))[0].source).toBe('local');
  });

  it('cannot be forced over GraphQL either: force is for API keys only', async () => {
    const u = await createUser(okta);
    const r = await t.gql('mutation($id: ID!) { updateUser(id: $id, input: { title: "forced" }, force: true) { id } }', { id: u.id }, entraToken);
    expect(r.codes).toEqual(['FORBIDDEN']);
    expect((await t.gql('mutation($id: ID!) { deleteUser(id: $id, force: true) }', { id: u.id }, entraToken)).codes).toEqual(['FORBIDDEN']);
    expect(await actionsOf(u.id)).toEqual(['user.create', 'user.write.refused', 'user.write.refused']);
  });
});

describe("another IdP's groups", () => {
  it('are refused to change attributes or membership, and to delete; reads stay open', async () => {
    const a = await createUser(okta);
    const b = await createUser(entra);
    const g = await createGroup(okta, [a.id]);
    const before = await groupRow(g.id);

    expectRefused(await entra.patch(`/Groups/${g.id}`, patchOp({ op: 'Add', path: 'members', value: [{ value: b.id }] })), 'okta');
    expectRefused(await entra.patch(`/Groups/${g.id}`, patchOp({ op: 'Remove', path: `members[value eq "${a.id}"]` })), 'okta');
    expectRefused(await entra.patch(`/Groups/${g.id}`, patchOp({ op: 'Replace', path: 'displayName', value: unique('renamed') })), 'okta');
    expectRefused(await entra.patch(`/Groups/${g.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: a.id }] })), 'okta');
    expectRefused(await entra.put(`/Groups/${g.id}`, { schemas: [URN.group], displayName: g.displayName, members: [{ value: b.id }] }), 'okta');
    expectRefused(await entra.delete(`/Groups/${g.id}`), 'okta');

    expect(await groupRow(g.id)).toEqual(before);
    expect((await t.sql<{ id: string }>('select member_id::text as id from memberships where group_id = ?', [g.id])).map((r) => r.id)).toEqual([a.id]);
    expect(await actionsOf(g.id)).toEqual(['group.create', ...Array<string>(6).fill('group.write.refused')]);

    for (const c of [okta, entra]) expect((await c.get(`/Groups/${g.id}`)).status).toBe(200);
    expectScimError(await entra.post('/Groups', { schemas: [URN.group], displayName: g.displayName }), 409, 'uniqueness');

    // The owner may put any user in its group, whoever manages that user.
    expect((await okta.patch(`/Groups/${g.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: b.id }] }))).status).toBe(204);
  });
});

describe('local users and groups', () => {
  it('are refused to an IdP while adoption is off (the default)', async () => {
    const p = await t.ok<{ provisioning: { idp: string; adoptLocal: boolean }[] }>('{ provisioning { idp adoptLocal } }', {}, adminKey);
    expect(p.provisioning).toEqual(expect.arrayContaining([{ idp: 'okta', adoptLocal: false }]));
    const u = await localUser();
    const g = await localGroup();
    expectRefused(await okta.put(`/Users/${u.id}`, { schemas: [URN.user], userName: u.userName, title: 'Pushed' }), 'local');
    expectRefused(await okta.patch(`/Groups/${g.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: u.id }] })), 'local');
    expect(await userRow(u.id)).toMatchObject({ source: 'local', title: 'Local', version: 1 });
    expect(await groupRow(g.id)).toMatchObject({ source: 'local', version: 1 });
    expect(await actionsOf(u.id)).toEqual(['user.create', 'user.write.refused']);
    expect(await actionsOf(g.id)).toEqual(['group.create', 'group.write.refused']);
  });

  it("are adopted by the IdP's next update once an ADMIN turns adoption on, audited; other IdPs stay refused", async () => {
    const u = await localUser();
    const g = await localGroup();
    const other = await localUser();
    // Only OWNER and ADMIN keys may turn it on.
    expect((await t.gql(SET_ADOPTION, { i: 'okta', a: true }, await t.apiKey('READER'))).codes).toEqual(['FORBIDDEN']);
    expect((await t.gql(SET_ADOPTION, { i: 'nobody', a: true }, adminKey)).codes).toEqual(['NOT_FOUND']);
    expect(await setAdoption('okta', true)).toEqual({ setProvisioningAdoption: { idp: 'okta', adoptLocal: true, active: true } });
    try {
      const put = await okta.put(`/Users/${u.id}`, { schemas: [URN.user], userName: u.userName, title: 'Pushed' });
      expect(put.status).toBe(200);
      expect(await userRow(u.id)).toMatchObject({ source: 'okta', title: 'Pushed', version: 2 });
      expect((await audits(u.id)).map((a) => [a.action, a.changed])).toEqual([
        ['user.create', ['userName', 'title']],
        ...[
          ['user.adopt', ['source']],
          ['user.update', ['title']],
        ].sort(([a], [b]) => String(a).localeCompare(String(b))),
      ]);

      // A group's adoption by a membership change alone.
      expect((await okta.patch(`/Groups/${g.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: u.id }] }))).status).toBe(204);
      expect(await groupRow(g.id)).toMatchObject({ source: 'okta', version: 2 });
      expect((await audits(g.id)).map((a) => [a.action, a.changed])).toEqual([
        ['group.create', ['displayName', 'members']],
        ...[
          ['group.adopt', ['source']],
          ['group.update', ['members']],
        ].sort(([a], [b]) => String(a).localeCompare(String(b))),
      ]);

      // Adoption is per IdP: entra still may not touch local data, nor what okta adopted.
      expectRefused(await entra.put(`/Users/${other.id}`, { schemas: [URN.user], userName: other.userName }), 'local');
      expectRefused(await entra.put(`/Users/${u.id}`, { schemas: [URN.user], userName: u.userName }), 'okta');
      // A DELETE never adopts.
      expectRefused(await okta.delete(`/Users/${other.id}`), 'local');
      expect(await userRow(other.id)).toMatchObject({ source: 'local' });
      // Once adopted, local edits need force like any IdP-managed data.
      expect((await t.gql('mutation($id: ID!) { updateUser(id: $id, input: { title: "x" }) { id } }', { id: u.id }, adminKey)).codes).toEqual(['MANAGED_BY_IDP']);
    } finally {
      await setAdoption('okta', false);
    }
    expectRefused(await okta.put(`/Users/${other.id}`, { schemas: [URN.user], userName: other.userName, title: 'Pushed' }), 'local');
    const provisioningAudits = (await t.sql<{ action: string }>("select action from audit_events where resource_type = 'Provisioning' and resource_id = 'okta' order by at, id")).map((r) => r.action);
    expect(provisioningAudits.filter((a) => a.startsWith('provisioning.adoption'))).toEqual(['provisioning.adoption.on', 'provisioning.adoption.off']);
  });

  it('can be set with the CLI, and reactivating provisioning keeps the setting', async () => {
    const cli = async (argv: string[]) => {
      let out = '';
      let err = '';
      const code = await runCli(argv, {
        env: { PUBLIC_URL: 'https://roster.example.com' },
        stdout: (s) => (out += s),
        stderr: (s) => (err += s),
        openDatabase: async () => ({ ...t.db, close: async () => undefined }),
      });
      return { code, out, err };
    };
    expect((await cli(['set-provisioning-adoption', 'entra', 'maybe'])).code).toBe(2);
    const on = await cli(['set-provisioning-adoption', 'entra', 'on']);
    expect(on).toMatchObject({ code: 0, out: expect.stringMatching(/entra may now adopt/) });
    await t.ok('mutation { activateProvisioning(idp: "entra") { token } }', {}, adminKey);
    const p = await t.ok<{ provisioning: { idp: string; adoptLocal: boolean }[] }>('{ provisioning { idp adoptLocal } }', {}, adminKey);
    expect(p.provisioning.find((x) => x.idp === 'entra')?.adoptLocal).toBe(true);
    const off = await cli(['set-provisioning-adoption', 'entra', 'off']);
    expect(off).toMatchObject({ code: 0, out: expect.stringMatching(/entra may not adopt/) });
    expect((await cli(['set-provisioning-adoption', 'nobody', 'on'])).code).toBe(1);
  });
});

describe('deleting an IdP-managed group locally', () => {
  it('needs force, is audited, and the IdP can push the same name again', async () => {
    const member = await createUser(okta);
    const g = await createGroup(okta, [member.id]);
    const DELETE = 'mutation($id: ID!, $f: Boolean) { deleteGroup(id: $id, force: $f) }';
    const refused = await t.gql(DELETE, { id: g.id }, adminKey);
    expect(refused.codes).toEqual(['MANAGED_BY_IDP']);
    expect(refused.errors[0].message).toMatch(/okta/);
    expect(await groupRow(g.id)).toBeDefined();

    expect((await t.ok<{ deleteGroup: string }>(DELETE, { id: g.id, f: true }, adminKey)).deleteGroup).toBe(g.id);
    expect(await groupRow(g.id)).toBeUndefined();
    const rows = await audits(g.id);
    expect(rows.map((r) => r.action)).toEqual(['group.create', 'group.delete.forced']);
    expect(rows[1].actor_label).toBe('admin key');

    const again = await okta.post('/Groups', { schemas: [URN.group], displayName: g.displayName, members: [{ value: member.id }] });
    expect(again.status).toBe(201);
    expect((again.body as Json).displayName).toBe(g.displayName);
    expect(await groupRow(String((again.body as Json).id))).toMatchObject({ source: 'okta', display_name: g.displayName });
  });
});
