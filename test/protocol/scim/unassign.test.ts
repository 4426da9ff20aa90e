import { ScimTestApp, startScimApp } from './scim-app.js';
import { createGroup, createUser, expectScimError, Json, patchOp, scimClient, ScimClient, URN } from './scim-client.js';

/**
 * Removing what Roster cannot leave unassigned: `active` (absent, it would read as true) and the
 * required userName and group displayName. Each is a 400 invalidValue that changes nothing; never a
 * 204 that silently re-enables an account.
 */
let app: ScimTestApp;
let c: ScimClient;
beforeAll(async () => {
  app = await startScimApp('okta');
  c = scimClient(app);
});
afterAll(() => app.close());

async function inactiveUser(): Promise<Json & { id: string; userName: string }> {
  return createUser(c, { active: false });
}

describe('active is never re-enabled by a removal', () => {
  it.each<[string, Json]>([
    ['remove active', patchOp({ op: 'remove', path: 'active' })],
    ['Remove active (Entra casing)', patchOp({ op: 'Remove', path: 'active' })],
    ['replace active with null', patchOp({ op: 'replace', path: 'active', value: null })],
    ['add active null', patchOp({ op: 'add', path: 'active', value: null })],
    ['no-path replace with active null', patchOp({ op: 'replace', value: { active: null, displayName: 'x' } })],
    ['remove the URN-qualified active', patchOp({ op: 'remove', path: `${URN.user}:active` })],
  ])('%s on an inactive user is 400 invalidValue and it stays inactive', async (_label, body) => {
    const u = await inactiveUser();
    expectScimError(await c.patch(`/Users/${u.id}`, body), 400, 'invalidValue');
    const after = await c.get(`/Users/${u.id}`);
    expect(after.body.active).toBe(false);
    expect(after.body.meta.version).toBe('W/"1"');
  });

  it('remove active on an active user is refused the same way', async () => {
    const u = await createUser(c);
    expectScimError(await c.patch(`/Users/${u.id}`, patchOp({ op: 'remove', path: 'active' })), 400, 'invalidValue');
  });

  it('the whole PATCH is refused: earlier operations are not applied', async () => {
    const u = await inactiveUser();
    expectScimError(await c.patch(`/Users/${u.id}`, patchOp({ op: 'replace', path: 'title', value: 'T' }, { op: 'remove', path: 'active' })), 400, 'invalidValue');
    expect((await c.get(`/Users/${u.id}`)).body.title).toBeUndefined();
  });

  it('replace with true or false still works, also as strings (Entra)', async () => {
    const u = await inactiveUser();
    expect((await c.patch(`/Users/${u.id}`, patchOp({ op: 'Replace', path: 'active', value: 'True' }))).status).toBe(204);
    expect((await c.get(`/Users/${u.id}`)).body.active).toBe(true);
    expect((await c.patch(`/Users/${u.id}`, patchOp({ op: 'replace', value: { active: false } }))).status).toBe(204);
    expect((await c.get(`/Users/${u.id}`)).body.active).toBe(false);
  });

  it.each<[string, Json]>([
    ['without active', {}],
    ['with active null (Entra sends nulls)', { active: null }],
  ])('PUT %s keeps the current value', async (_label, extra) => {
    const u = await inactiveUser();
    const res = await c.put(`/Users/${u.id}`, { schemas: [URN.user], userName: u.userName, title: 'T', ...extra });
    expect(res.status).toBe(200);
    expect(res.body.active).toBe(false);
    expect((await c.get(`/Users/${u.id}`)).body).toMatchObject({ active: false, title: 'T' });
  });

  it('PUT with active true re-enables, as asked', async () => {
    const u = await inactiveUser();
    const res = await c.put(`/Users/${u.id}`, { schemas: [URN.user], userName: u.userName, active: true });
    expect(res.body.active).toBe(true);
  });

  it('POST without active still creates an active user', async () => {
    expect((await createUser(c)).active).toBe(true);
  });
});

describe('required attributes cannot be removed', () => {
  it.each<[string, Json]>([
    ['remove userName', patchOp({ op: 'remove', path: 'userName' })],
    ['replace userName with null', patchOp({ op: 'replace', path: 'userName', value: null })],
    ['no-path replace with userName null', patchOp({ op: 'replace', value: { userName: null } })],
  ])('%s is 400 invalidValue', async (_label, body) => {
    const u = await createUser(c);
    expectScimError(await c.patch(`/Users/${u.id}`, body), 400, 'invalidValue');
    expect((await c.get(`/Users/${u.id}`)).body.userName).toBe(u.userName);
  });

  it.each<[string, Json]>([
    ['remove displayName', patchOp({ op: 'remove', path: 'displayName' })],
    ['replace displayName with null', patchOp({ op: 'replace', path: 'displayName', value: null })],
    ['no-path replace with displayName null', patchOp({ op: 'replace', value: { displayName: null } })],
  ])('%s of a group is 400 invalidValue', async (_label, body) => {
    const g = await createGroup(c);
    expectScimError(await c.patch(`/Groups/${g.id}`, body), 400, 'invalidValue');
    expect((await c.get(`/Groups/${g.id}`)).body.displayName).toBe(g.displayName);
  });

  it('PUT without userName or displayName is 400 invalidValue', async () => {
    const u = await createUser(c);
    expectScimError(await c.put(`/Users/${u.id}`, { schemas: [URN.user], title: 'x' }), 400, 'invalidValue');
    const g = await createGroup(c);
    expectScimError(await c.put(`/Groups/${g.id}`, { schemas: [URN.group], members: [] }), 400, 'invalidValue');
  });

  it('optional attributes and the primary flag can be removed', async () => {
    const u = await createUser(c, { title: 'T', emails: [{ value: 'a@example.com', type: 'work', primary: true }] });
    expect((await c.patch(`/Users/${u.id}`, patchOp({ op: 'remove', path: 'title' }, { op: 'remove', path: 'emails[type eq "work"].primary' }))).status).toBe(204);
    const after = await c.get(`/Users/${u.id}`);
    expect(after.body.title).toBeUndefined();
    expect(after.body.emails).toEqual([{ value: 'a@example.com', type: 'work' }]);
    expect(after.body.active).toBe(true);
  });
});
