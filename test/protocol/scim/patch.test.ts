import { ScimTestApp, startScimApp } from './scim-app.js';
import { createGroup, createUser, expectScimError, Json, memberIds, patchOp, scimClient, ScimClient, sql, unique, URN } from './scim-client.js';

/** PATCH (RFC 7644 §3.5.2) end to end, including what Okta and Entra really send (DESIGN §4.1). */
let app: ScimTestApp;
let c: ScimClient;
beforeAll(async () => {
  app = await startScimApp('entra');
  c = scimClient(app);
});
afterAll(() => app.close());

/** PATCHes and returns the user as GET now shows it (fails unless the PATCH answered 204). */
async function patchUser(id: string, ...ops: Json[]): Promise<Json> {
  const res = await c.patch(`/Users/${id}`, patchOp(...ops));
  if (res.status !== 204) throw new Error(`PATCH answered ${res.status}: ${res.text}`);
  return (await c.get(`/Users/${id}`)).body as Json;
}

const version = async (path: string) => String((await c.get(path)).body.meta.version);

describe('PATCH /Users: operations', () => {
  const WORK = { value: 'w@example.com', type: 'work', primary: true };
  const HOME = { value: 'h@example.com', type: 'home' };

  it.each<[string, Json, Json[], (u: Json) => void]>([
    ['replace with path', {}, [{ op: 'replace', path: 'title', value: 'CTO' }], (u) => expect(u.title).toBe('CTO')],
    ['add with path', {}, [{ op: 'add', path: 'nickName', value: 'Nick' }], (u) => expect(u.nickName).toBe('Nick')],
    ['remove with path', { title: 'Old' }, [{ op: 'remove', path: 'title' }], (u) => expect(u.title).toBeUndefined()],
    ['replace without path', {}, [{ op: 'replace', value: { title: 'A', displayName: 'B' } }], (u) => expect(u).toMatchObject({ title: 'A', displayName: 'B' })],
    ['add without path', {}, [{ op: 'add', value: { nickName: 'N' } }], (u) => expect(u.nickName).toBe('N')],
    ['no-path {active:false} (Okta deactivation)', {}, [{ op: 'replace', value: { active: false } }], (u) => expect(u.active).toBe(false)],
    ['"False" as a string (Entra)', {}, [{ op: 'Replace', path: 'active', value: 'False' }], (u) => expect(u.active).toBe(false)],
    ['"True" as a string in a no-path value', { active: false }, [{ op: 'replace', value: { active: 'True' } }], (u) => expect(u.active).toBe(true)],
    [
      'ops in capitals',
      {},
      [
        { op: 'ADD', path: 'title', value: 'X' },
        { op: 'Replace', path: 'nickName', value: 'Y' },
      ],
      (u) => expect(u).toMatchObject({ title: 'X', nickName: 'Y' }),
    ],
    [
      'name.familyName',
      { name: { givenName: 'G', familyName: 'F' } },
      [{ op: 'replace', path: 'name.familyName', value: 'New' }],
      (u) => expect(u.name).toEqual({ givenName: 'G', familyName: 'New' }),
    ],
    ['dotted no-path key (Okta)', { name: { givenName: 'G' } }, [{ op: 'replace', value: { 'name.familyName': 'F' } }], (u) => expect(u.name).toEqual({ givenName: 'G', familyName: 'F' })],
    [
      'null sub-attribute clears it (Entra)',
      { name: { givenName: 'G', familyName: 'F' } },
      [{ op: 'Replace', path: 'name', value: { givenName: 'H', familyName: null } }],
      (u) => expect(u.name).toEqual({ givenName: 'H' }),
    ],
    ['null value clears the attribute', { title: 'T' }, [{ op: 'Replace', path: 'title', value: null }], (u) => expect(u.title).toBeUndefined()],
    [
      'emails[type eq "work"].value',
      { emails: [WORK, HOME] },
      [{ op: 'replace', path: 'emails[type eq "work"].value', value: 'new@example.com' }],
      (u) => expect(u.emails).toEqual([{ ...WORK, value: 'new@example.com' }, HOME]),
    ],
    [
      'emails[type eq "work"].value creates the element when missing (Entra)',
      {},
      [{ op: 'Add', path: 'emails[type eq "work"].value', value: 'e@example.com' }],
      (u) => expect(u.emails).toEqual([{ type: 'work', value: 'e@example.com' }]),
    ],
    ['remove emails[type eq "home"]', { emails: [WORK, HOME] }, [{ op: 'remove', path: 'emails[type eq "home"]' }], (u) => expect(u.emails).toEqual([WORK])],
    ['add to a multi-valued attribute appends', { emails: [WORK] }, [{ op: 'add', path: 'emails', value: [HOME] }], (u) => expect(u.emails).toEqual([WORK, HOME])],
    ['URN attribute path', {}, [{ op: 'add', path: `${URN.enterprise}:department`, value: 'Sales' }], (u) => expect(u[URN.enterprise]).toEqual({ department: 'Sales' })],
    ['URN attribute key in a no-path value (Entra)', {}, [{ op: 'Add', value: { [`${URN.enterprise}:employeeNumber`]: '42' } }], (u) => expect(u[URN.enterprise]).toEqual({ employeeNumber: '42' })],
    [
      'whole extension by URN path',
      { [URN.product]: { staticIp: '10.0.0.1' } },
      [{ op: 'replace', path: URN.product, value: { macAddress: 'aa:bb' } }],
      (u) => expect(u[URN.product]).toEqual({ staticIp: '10.0.0.1', macAddress: 'aa:bb' }),
    ],
    [
      'remove a URN attribute',
      { [URN.enterprise]: { department: 'D', costCenter: 'C' } },
      [{ op: 'remove', path: `${URN.enterprise}:department` }],
      (u) => expect(u[URN.enterprise]).toEqual({ costCenter: 'C' }),
    ],
    ['manager by value (Entra)', {}, [{ op: 'Add', path: `${URN.enterprise}:manager`, value: 'm-1' }], (u) => expect((u[URN.enterprise] as Json).manager).toMatchObject({ value: 'm-1' })],
  ])('%s', async (_label, initial, ops, check) => {
    const u = await createUser(c, initial);
    check(await patchUser(u.id, ...ops));
  });

  it('answers 204 with the new ETag; with attributes or excludedAttributes, 200 and the resource', async () => {
    const u = await createUser(c);
    const plain = await c.patch(`/Users/${u.id}`, patchOp({ op: 'replace', path: 'title', value: 'A' }));
    expect(plain.status).toBe(204);
    expect(plain.headers.etag).toBe('W/"2"');
    expect(plain.text).toBe('');

    const projected = await c.patch(`/Users/${u.id}?attributes=title`, patchOp({ op: 'replace', path: 'title', value: 'B' }));
    expect(projected.status).toBe(200);
    expect(projected.headers['content-type']).toMatch(/^application\/scim\+json/);
    expect(projected.body).toEqual({ schemas: [URN.user], id: u.id, title: 'B' });
    expect(projected.headers.etag).toBe('W/"3"');

    const excluded = await c.patch(`/Users/${u.id}?excludedAttributes=name`, patchOp({ op: 'replace', path: 'title', value: 'C' }));
    expect(excluded.status).toBe(200);
    expect(excluded.body).toMatchObject({ id: u.id, title: 'C', userName: u.userName, meta: { version: 'W/"4"' } });
    expect(excluded.headers.etag).toBe(excluded.body.meta.version);
  });

  it("a PATCH answered with the resource carries the user's groups, as GET does", async () => {
    const u = await createUser(c);
    const g = await createGroup(c, [u.id]);
    const full = await c.patch(`/Users/${u.id}?excludedAttributes=name`, patchOp({ op: 'replace', path: 'title', value: 'Lead' }));
    expect(full.status).toBe(200);
    expect(full.body.groups).toEqual([expect.objectContaining({ value: g.id, display: g.displayName })]);
    expect(full.body.groups).toEqual((await c.get(`/Users/${u.id}`)).body.groups);
    const onlyGroups = await c.patch(`/Users/${u.id}?attributes=groups`, patchOp({ op: 'replace', path: 'title', value: 'Head' }));
    expect(onlyGroups.body).toEqual({ schemas: [URN.user], id: u.id, groups: full.body.groups });
  });

  it('a PATCH that changes nothing succeeds and keeps meta.version', async () => {
    const u = await createUser(c, { title: 'Same', emails: [WORK] });
    const res = await c.patch(
      `/Users/${u.id}`,
      patchOp({ op: 'replace', path: 'title', value: 'Same' }, { op: 'replace', value: { id: u.id, active: 'True' } }, { op: 'add', path: 'emails', value: [WORK] }),
    );
    expect(res.status).toBe(204);
    expect(res.headers.etag).toBe('W/"1"');
    expect(await version(`/Users/${u.id}`)).toBe('W/"1"');
  });

  it('all operations in one transaction: a later operation that fails in the facade changes nothing', async () => {
    const u = await createUser(c, { title: 'Before' });
    const res = await c.patch(`/Users/${u.id}`, patchOp({ op: 'replace', path: 'title', value: 'After' }, { op: 'replace', path: 'active', value: 'maybe' }));
    expectScimError(res, 400, 'invalidValue');
    const after = (await c.get(`/Users/${u.id}`)).body;
    expect(after.title).toBe('Before');
    expect(after.meta.version).toBe('W/"1"');
  });

  it('all operations in one transaction: a later operation the database refuses changes nothing', async () => {
    const taken = await createUser(c);
    const u = await createUser(c, { title: 'Before' });
    const res = await c.patch(`/Users/${u.id}`, patchOp({ op: 'replace', path: 'title', value: 'After' }, { op: 'replace', path: 'userName', value: taken.userName.toUpperCase() }));
    expectScimError(res, 409, 'uniqueness');
    const after = (await c.get(`/Users/${u.id}`)).body;
    expect(after).toMatchObject({ title: 'Before', userName: u.userName, meta: { version: 'W/"1"' } });
  });

  it.each<[string, string, Json[]]>([
    ['remove without path', 'noTarget', [{ op: 'remove' }]],
    ['replace on a value filter that matches nothing', 'noTarget', [{ op: 'replace', path: 'emails[value eq "nobody@example.com"].type', value: 'home' }]],
    ['unknown attribute path', 'invalidPath', [{ op: 'replace', path: 'shoeSize', value: 9 }]],
    ['malformed path', 'invalidPath', [{ op: 'replace', path: 'emails[type eq', value: 'x' }]],
    ['value filter on a single-valued attribute', 'invalidPath', [{ op: 'replace', path: 'title[value eq "x"]', value: 'x' }]],
    ['changing id', 'mutability', [{ op: 'replace', path: 'id', value: '11111111-1111-4111-8111-111111111111' }]],
    ['changing id in a no-path value', 'mutability', [{ op: 'replace', value: { id: '11111111-1111-4111-8111-111111111111' } }]],
    ['changing meta', 'mutability', [{ op: 'replace', path: 'meta.created', value: '2000-01-01T00:00:00Z' }]],
    ['a boolean that is not one', 'invalidValue', [{ op: 'replace', value: { active: 'maybe' } }]],
    ['a string given an object', 'invalidValue', [{ op: 'replace', path: 'title', value: { a: 1 } }]],
    ['removing the required userName', 'invalidValue', [{ op: 'remove', path: 'userName' }]],
    ['an unknown op', 'invalidSyntax', [{ op: 'merge', path: 'title', value: 'x' }]],
    ['add without value', 'invalidValue', [{ op: 'add', path: 'title' }]],
  ])('%s is a 400 %s and changes nothing', async (_label, scimType, ops) => {
    const u = await createUser(c, { title: 'Keep', emails: [WORK] });
    expectScimError(await c.patch(`/Users/${u.id}`, patchOp(...ops)), 400, scimType);
    expect(await version(`/Users/${u.id}`)).toBe('W/"1"');
  });

  it.each<[string, unknown]>([
    ['no PatchOp schema', { Operations: [{ op: 'add', path: 'title', value: 'x' }] }],
    ['Operations not a list', { schemas: [URN.patch], Operations: { op: 'add' } }],
    ['an operation that is not an object', { schemas: [URN.patch], Operations: ['add'] }],
  ])('%s is 400 invalidSyntax', async (_label, body) => {
    const u = await createUser(c);
    expectScimError(await c.patch(`/Users/${u.id}`, body), 400, 'invalidSyntax');
  });
});

describe('PATCH /Groups: membership and attributes', () => {
  const users = (n: number) => Promise.all(Array.from({ length: n }, () => createUser(c).then((u) => u.id)));

  it('add, then remove members[value eq …], then replace; 204 each time', async () => {
    const [a, b, d] = await users(3);
    const g = await createGroup(c, [a]);
    const add = await c.patch(`/Groups/${g.id}`, patchOp({ op: 'Add', path: 'members', value: [{ value: b }, { value: d }] }));
    expect(add.status).toBe(204);
    expect(add.headers.etag).toBe('W/"2"');
    expect(await memberIds(app, g.id)).toEqual([a, b, d].sort());
    const rm = await c.patch(`/Groups/${g.id}`, patchOp({ op: 'remove', path: `members[value eq "${b}"]` }));
    expect(rm.status).toBe(204);
    expect(await memberIds(app, g.id)).toEqual([a, d].sort());
    const rep = await c.patch(`/Groups/${g.id}`, patchOp({ op: 'replace', path: 'members', value: [{ value: b }] }));
    expect(rep.status).toBe(204);
    expect(await memberIds(app, g.id)).toEqual([b]);
  });

  it("Entra's Remove members with a value list removes only those", async () => {
    const [a, b, d] = await users(3);
    const g = await createGroup(c, [a, b, d]);
    const res = await c.patch(`/Groups/${g.id}`, patchOp({ op: 'Remove', path: 'members', value: [{ value: a }, { value: d }] }));
    expect(res.status).toBe(204);
    expect(await memberIds(app, g.id)).toEqual([b]);
  });

  it('remove members without a value clears the group', async () => {
    const [a, b] = await users(2);
    const g = await createGroup(c, [a, b]);
    expect((await c.patch(`/Groups/${g.id}`, patchOp({ op: 'remove', path: 'members' }))).status).toBe(204);
    expect(await memberIds(app, g.id)).toEqual([]);
  });

  it("Okta's no-path replace {id, displayName} renames; {members: []} empties", async () => {
    const [a] = await users(1);
    const g = await createGroup(c, [a]);
    const name = unique('renamed');
    expect((await c.patch(`/Groups/${g.id}`, patchOp({ op: 'replace', value: { id: g.id, displayName: name } }))).status).toBe(204);
    expect((await c.get(`/Groups/${g.id}`)).body.displayName).toBe(name);
    expect(await memberIds(app, g.id)).toEqual([a]);
    expect((await c.patch(`/Groups/${g.id}`, patchOp({ op: 'replace', value: { members: [] } }))).status).toBe(204);
    expect(await memberIds(app, g.id)).toEqual([]);
  });

  it('re-adding present members and removing absent ones changes nothing: 204, version kept', async () => {
    const [a, b] = await users(2);
    const g = await createGroup(c, [a]);
    const res = await c.patch(`/Groups/${g.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: a }] }, { op: 'remove', path: `members[value eq "${b}"]` }));
    expect(res.status).toBe(204);
    expect(res.headers.etag).toBe('W/"1"');
    expect(await version(`/Groups/${g.id}`)).toBe('W/"1"');
    // and no audit event says it changed anything
    expect(await sql(app, `select action from audit_events where resource_id = ? and action <> 'group.create'`, [g.id])).toEqual([]);
    // the same members really added and removed: one version, one event naming the members
    expect((await c.patch(`/Groups/${g.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: b }] }, { op: 'remove', path: `members[value eq "${a}"]` }))).headers.etag).toBe('W/"2"');
    expect(await memberIds(app, g.id)).toEqual([b]);
    expect(await sql(app, `select action, changed from audit_events where resource_id = ? and action <> 'group.create'`, [g.id])).toEqual([{ action: 'group.update', changed: ['members'] }]);
  });

  it('a membership PATCH of a missing group is a 404, even with an operation that is a 400 on a group that exists', async () => {
    const [a] = await users(1);
    const missing = '00000000-0000-4000-8000-00000000abcd';
    expectScimError(await c.patch(`/Groups/${missing}`, patchOp({ op: 'add', path: 'members', value: [{ value: a }] })), 404);
    expectScimError(await c.patch(`/Groups/${missing}`, patchOp({ op: 'remove', path: `members[value eq "${a}"]` })), 404);
    expectScimError(await c.patch(`/Groups/${missing}`, patchOp({ op: 'remove', path: 'members', value: [{ display: 'no value' }] })), 404);
    expectScimError(await c.patch('/Groups/not-a-uuid', patchOp({ op: 'add', path: 'members', value: [{ value: a }] })), 404);
  });

  it('a membership PATCH names the group by one spelling of its id in the audit event, however the client wrote it', async () => {
    const [a] = await users(1);
    const g = await createGroup(c);
    const res = await c.patch(`/Groups/${g.id.toUpperCase()}`, patchOp({ op: 'add', path: 'members', value: [{ value: a.toUpperCase() }] }));
    expect(res.status).toBe(204);
    expect(res.headers.etag).toBe('W/"2"');
    expect(await memberIds(app, g.id)).toEqual([a]);
    const events = await sql<{ resource_id: string }>(app, `select resource_id from audit_events where action = 'group.update' and lower(resource_id) = ?`, [g.id]);
    expect(events).toEqual([{ resource_id: g.id }]);
  });

  it('answers 200 with the group when attributes are asked for', async () => {
    const [a, b] = await users(2);
    const g = await createGroup(c, [a]);
    const res = await c.patch(`/Groups/${g.id}?attributes=members`, patchOp({ op: 'add', path: 'members', value: [{ value: b }] }));
    expect(res.status).toBe(200);
    expect((res.body.members as Json[]).map((m) => m.value).sort()).toEqual([a, b].sort());
    const lean = await c.patch(`/Groups/${g.id}?excludedAttributes=members`, patchOp({ op: 'replace', path: 'displayName', value: unique('n') }));
    expect(lean.status).toBe(200);
    expect(lean.body.members).toBeUndefined();
    expect(lean.headers.etag).toBe(lean.body.meta.version);
  });

  it('all operations in one transaction: a rename followed by a failing op is not applied', async () => {
    const [a] = await users(1);
    const g = await createGroup(c, [a]);
    const res = await c.patch(`/Groups/${g.id}`, patchOp({ op: 'replace', path: 'displayName', value: unique('never') }, { op: 'remove', path: 'members', value: [{ display: 'no value' }] }));
    expectScimError(res, 400, 'invalidValue');
    expect((await c.get(`/Groups/${g.id}`)).body).toMatchObject({ displayName: g.displayName, meta: { version: 'W/"1"' } });
  });

  it.each<[string, string, Json[]]>([
    ['changing id', 'mutability', [{ op: 'replace', value: { id: '11111111-1111-4111-8111-111111111111' } }]],
    ['a member sub-attribute', 'invalidPath', [{ op: 'replace', path: 'members[value eq "x"].display', value: 'x' }]],
    ['add with a value filter', 'invalidPath', [{ op: 'add', path: 'members[value eq "x"]', value: [{ value: 'x' }] }]],
    ['remove without path', 'noTarget', [{ op: 'Remove' }]],
    ['removing the required displayName', 'invalidValue', [{ op: 'remove', path: 'displayName' }]],
  ])('%s is a 400 %s', async (_label, scimType, ops) => {
    const g = await createGroup(c);
    expectScimError(await c.patch(`/Groups/${g.id}`, patchOp(...ops)), 400, scimType);
    expect(await version(`/Groups/${g.id}`)).toBe('W/"1"');
  });
});
