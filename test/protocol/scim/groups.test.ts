import { recordSqlText } from '../../support/sql-wire.js';
import { PUBLIC_URL, ScimTestApp, startScimApp } from './scim-app.js';
import { createGroup, createUser, expectScimError, memberIds, patchOp, scimClient, ScimClient, seedUsers, sql, unique, URN } from './scim-client.js';

/** /Groups over HTTP: create, read, full-list PUT as a diff, delete, dangling members. */
let app: ScimTestApp;
let c: ScimClient;
/** what this file sends to the database (from the start: a prepared statement is named once, when first parsed) */
let wire: ReturnType<typeof recordSqlText>;
beforeAll(async () => {
  wire = recordSqlText();
  // a body limit large enough to name more members than one request may (tooMany)
  app = await startScimApp('entra', { BODY_LIMIT: '16mb' });
  c = scimClient(app);
});
afterAll(async () => {
  wire.stop();
  await app.close();
});

const BASE = `${PUBLIC_URL}/scim/v2`;
const members = (ids: string[]) => ids.map((value) => ({ value }));
const MISSING = '00000000-0000-4000-8000-000000000000';

describe('POST /Groups', () => {
  it('answers 201 with Location, ETag, absolute meta.location and the members', async () => {
    const u = await createUser(c);
    const displayName = unique('Sales');
    const res = await c.post('/Groups', { schemas: [URN.group], displayName, externalId: 'ext-g', members: [{ value: u.id, display: 'ignored' }] });
    expect(res.status).toBe(201);
    const id = res.body.id as string;
    expect(res.headers.location).toBe(`${BASE}/Groups/${id}`);
    expect(res.headers.etag).toBe('W/"1"');
    expect(res.body).toMatchObject({
      schemas: [URN.group],
      displayName,
      externalId: 'ext-g',
      members: [{ value: u.id, $ref: `${BASE}/Users/${u.id}`, type: 'User' }],
      meta: { resourceType: 'Group', location: `${BASE}/Groups/${id}`, version: 'W/"1"' },
    });
    const rows = await sql<{ source: string }>(app, 'select source from groups where id = ?', [id]);
    expect(rows).toEqual([{ source: 'entra' }]);
  });

  it('answers with the group and members its transaction wrote, read before the commit, not after it', async () => {
    const [a, b] = [await createUser(c), await createUser(c)];
    const from = wire.texts.length;
    const res = await c.post('/Groups', { schemas: [URN.group], displayName: unique('Ops'), members: [{ value: a.id }, { value: b.id }] }).expect(201);
    expect(res.body.members.map((m: { value: string }) => m.value).sort()).toEqual([a.id, b.id].sort());
    const sent = wire.texts.slice(from).map((q) => q.trim().toLowerCase());
    const commit = sent.findIndex((q) => q === 'commit');
    expect(commit).toBeGreaterThan(0);
    expect(sent.slice(commit + 1).filter((q) => /\b(groups|memberships)\b/.test(q))).toEqual([]);
  });

  it("names each member by its display name: a user's displayName, else its userName; a group's displayName", async () => {
    const named = await createUser(c, { displayName: 'Ada Lovelace' });
    const bare = await createUser(c);
    const inner = await createGroup(c);
    const res = await c.post('/Groups', { schemas: [URN.group], displayName: unique('named'), members: members([named.id, bare.id, inner.id]) });
    const byId = new Map((res.body.members as { value: string; display?: string }[]).map((m) => [m.value, m.display]));
    expect(Object.fromEntries(byId)).toEqual({ [named.id]: 'Ada Lovelace', [bare.id]: bare.userName, [inner.id]: inner.displayName });
    const read = await c.get(`/Groups/${res.body.id as string}`);
    expect(read.body.members).toEqual(res.body.members);
  });

  it('accepts a group as a member', async () => {
    const inner = await createGroup(c);
    const outer = await createGroup(c, [inner.id]);
    expect(outer.members).toEqual([expect.objectContaining({ value: inner.id, type: 'Group', $ref: `${BASE}/Groups/${inner.id}` })]);
  });

  it('a member that does not exist is a 400 and creates nothing', async () => {
    const displayName = unique('dangling');
    const res = await c.post('/Groups', { schemas: [URN.group], displayName, members: [{ value: MISSING }] });
    expectScimError(res, 400, 'invalidValue');
    expect(await sql(app, 'select 1 from groups where display_name = ?', [displayName])).toEqual([]);
  });

  it('displayName is unique without regard to case: 409 uniqueness', async () => {
    const g = await createGroup(c);
    const res = await c.post('/Groups', { schemas: [URN.group], displayName: g.displayName.toUpperCase() });
    expectScimError(res, 409, 'uniqueness');
  });
});

describe('GET /Groups/{id}', () => {
  it('returns members unless excluded, and honours If-None-Match', async () => {
    const [a, b] = [await createUser(c), await createUser(c)];
    const g = await createGroup(c, [a.id, b.id]);
    const full = await c.get(`/Groups/${g.id}`);
    expect(full.status).toBe(200);
    expect(full.headers.etag).toBe(full.body.meta.version);
    expect((full.body.members as { value: string }[]).map((m) => m.value).sort()).toEqual([a.id, b.id].sort());
    const lean = await c.get(`/Groups/${g.id}?excludedAttributes=members`);
    expect(lean.body.members).toBeUndefined();
    expect(lean.body.displayName).toBe(g.displayName);
    const only = await c.get(`/Groups/${g.id}?attributes=displayName`);
    expect(Object.keys(only.body).sort()).toEqual(['displayName', 'id', 'schemas']);
    expect((await c.get(`/Groups/${g.id}`).set('If-None-Match', full.body.meta.version as string)).status).toBe(304);
  });
});

describe('PUT /Groups/{id}', () => {
  it('writes only the difference: the same list again keeps meta.version', async () => {
    const [a, b, d] = [await createUser(c), await createUser(c), await createUser(c)];
    const g = await createGroup(c, [a.id, b.id]);
    const before = await sql<{ member_id: string; created_at: Date }>(app, 'select member_id::text, created_at from memberships where group_id = ?', [g.id]);

    const same = await c.put(`/Groups/${g.id}`, { schemas: [URN.group], displayName: g.displayName, members: members([b.id, a.id]) });
    expect(same.status).toBe(200);
    expect(same.body.meta.version).toBe('W/"1"');
    expect(same.headers.etag).toBe('W/"1"');

    const swapped = await c.put(`/Groups/${g.id}`, { schemas: [URN.group], displayName: g.displayName, members: members([a.id, d.id]) });
    expect(swapped.status).toBe(200);
    expect(swapped.body.meta.version).toBe('W/"2"');
    expect(await memberIds(app, g.id)).toEqual([a.id, d.id].sort());
    // a's membership row was kept, not rewritten
    const after = await sql<{ member_id: string; created_at: Date }>(app, 'select member_id::text, created_at from memberships where group_id = ? and member_id = ?', [g.id, a.id]);
    expect(after[0].created_at).toEqual(before.find((r) => r.member_id === a.id)!.created_at);
  });

  it('clears an omitted externalId, ignores readOnly id/meta, renames', async () => {
    const g = await createGroup(c, [], { externalId: 'e1' });
    const name = unique('renamed');
    const res = await c.put(`/Groups/${g.id}`, { schemas: [URN.group], id: MISSING, meta: { version: 'W/"77"' }, displayName: name });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: g.id, displayName: name });
    expect(res.body.externalId).toBeUndefined();
  });

  it('a member that does not exist is a 400 and changes nothing', async () => {
    const a = await createUser(c);
    const g = await createGroup(c, [a.id]);
    const res = await c.put(`/Groups/${g.id}`, { schemas: [URN.group], displayName: unique('x'), members: [{ value: MISSING }] });
    expectScimError(res, 400, 'invalidValue');
    const read = await c.get(`/Groups/${g.id}`);
    expect(read.body.displayName).toBe(g.displayName);
    expect(await memberIds(app, g.id)).toEqual([a.id]);
    expect(read.body.meta.version).toBe('W/"1"');
  });

  it('a member declared as what it is not (a group as a User, a user as a Group) is a 400 and changes nothing', async () => {
    const [a, b] = [await createUser(c), await createUser(c)];
    const inner = await createGroup(c);
    const g = await createGroup(c, [a.id]);
    for (const wrong of [
      { value: inner.id, type: 'User' },
      { value: b.id, type: 'Group' },
    ]) {
      const res = await c.put(`/Groups/${g.id}`, { schemas: [URN.group], displayName: g.displayName, members: [{ value: b.id }, wrong] });
      expectScimError(res, 400, 'invalidValue');
      expect(await memberIds(app, g.id)).toEqual([a.id]);
      const read = await c.get(`/Groups/${g.id}`);
      expect(read.body.meta.version).toBe('W/"1"');
    }
    // declared rightly, in any case, the same list is written
    const ok = await c
      .put(`/Groups/${g.id}`, {
        schemas: [URN.group],
        displayName: g.displayName,
        members: [
          { value: b.id, type: 'user' },
          { value: inner.id, type: 'Group' },
        ],
      })
      .expect(200);
    expect(ok.body.members.map((m: { value: string; type: string }) => [m.value, m.type])).toEqual(
      [
        [b.id, 'User'],
        [inner.id, 'Group'],
      ].sort((x, y) => x[0].localeCompare(y[0])),
    );
  });

  it("the whole-list answer names each member as a read does: a user's displayName, else its userName; a group's displayName", async () => {
    const [named, bare, inner] = [await createUser(c, { displayName: 'Grace Hopper' }), await createUser(c), await createGroup(c)];
    const g = await createGroup(c, [bare.id]);
    const res = await c.put(`/Groups/${g.id}`, { schemas: [URN.group], displayName: g.displayName, members: members([inner.id, named.id, bare.id]) }).expect(200);
    const byId = Object.fromEntries((res.body.members as { value: string; display?: string; type: string }[]).map((m) => [m.value, [m.display, m.type]]));
    expect(byId).toEqual({ [named.id]: ['Grace Hopper', 'User'], [bare.id]: [bare.userName, 'User'], [inner.id]: [inner.displayName, 'Group'] });
    expect((await c.get(`/Groups/${g.id}`)).body.members).toEqual(res.body.members);
    // a re-sent list (no change) answers the same names
    const again = await c.put(`/Groups/${g.id}`, { schemas: [URN.group], displayName: g.displayName, members: members([bare.id, named.id, inner.id]) }).expect(200);
    expect(again.body.members).toEqual(res.body.members);
  });

  it('unpinned, one statement: the write names the members it answers with; still 404 before 400, 412 on a stale If-Match', async () => {
    {
      const [a, b] = [await createUser(c), await createUser(c)];
      const g = await createGroup(c, [a.id]);
      const from = wire.texts.length;
      const res = await c.put(`/Groups/${g.id}`, { schemas: [URN.group], displayName: g.displayName, members: [{ value: b.id }] }).expect(200);
      expect(res.body.meta.version).toBe('W/"2"');
      expect(res.body.members).toEqual([{ value: b.id, $ref: expect.stringContaining(`/Users/${b.id}`), display: b.displayName ?? b.userName, type: 'User' }]);
      // nothing read before the write, and no member page read after it: a read after the commit
      // could show another writer's members under this write's version
      const sent = wire.texts.slice(from).filter((q) => /\b(groups|memberships)\b/.test(q));
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatch(/^with g0 as \(select .* page as \(select coalesce\(json_agg\(/);
    }
    // a missing group is a 404 whatever the body; a bad body of an existing group is a 400
    expectScimError(await c.put(`/Groups/${MISSING}`, { schemas: [URN.group], displayName: unique('x') }), 404);
    expectScimError(await c.put(`/Groups/${MISSING}`, { schemas: [URN.group], displayName: 42 }), 404);
    expectScimError(await c.put('/Groups/not-a-uuid', { schemas: [URN.group] }), 404);
    const g = await createGroup(c, []);
    expectScimError(await c.put(`/Groups/${g.id}`, { schemas: [URN.group], displayName: 42 }), 400, 'invalidValue');
    expectScimError(await c.put(`/Groups/${g.id}`, { schemas: [URN.group], displayName: unique('y') }).set('If-Match', 'W/"9"'), 412);
    expect((await c.get(`/Groups/${g.id}`)).body.meta.version).toBe('W/"1"');
  });

  it('adding one member to a 2,000-member group keeps every other membership', async () => {
    const ids = await seedUsers(app, unique('bulk'), 2001);
    const [extra, ...base] = ids;
    const g = await createGroup(c, base);
    expect((await memberIds(app, g.id)).length).toBe(2000);
    const before = await sql<{ n: number; first: Date }>(app, 'select count(*)::int as n, min(created_at) as first from memberships where group_id = ?', [g.id]);

    const res = await c.put(`/Groups/${g.id}?excludedAttributes=members`, { schemas: [URN.group], displayName: g.displayName, members: members([...base, extra]) });
    expect(res.status).toBe(200);
    expect(res.body.members).toBeUndefined();
    expect(res.body.meta.version).toBe('W/"2"');
    const after = await sql<{ n: number; first: Date }>(app, 'select count(*)::int as n, min(created_at) as first from memberships where group_id = ?', [g.id]);
    expect(after[0].n).toBe(2001);
    // the 2,000 rows were not deleted and re-inserted
    expect(after[0].first).toEqual(before[0].first);
  });
});

describe('PATCH /Groups/{id}', () => {
  it('a member that does not exist is a 400 and nothing of the request applies', async () => {
    const [a, b] = [await createUser(c), await createUser(c)];
    const g = await createGroup(c, [a.id]);
    const res = await c.patch(`/Groups/${g.id}`, patchOp({ op: 'replace', path: 'displayName', value: unique('never') }, { op: 'add', path: 'members', value: [{ value: b.id }, { value: MISSING }] }));
    expectScimError(res, 400, 'invalidValue');
    const read = await c.get(`/Groups/${g.id}`);
    expect(read.body.displayName).toBe(g.displayName);
    expect(read.body.meta.version).toBe('W/"1"');
    expect(await memberIds(app, g.id)).toEqual([a.id]);
  });
});

describe('tooMany', () => {
  it('more members than one request may name is 400 tooMany', async () => {
    const many = Array.from({ length: 200_001 }, () => ({ value: MISSING }));
    const res = await c.post('/Groups', { schemas: [URN.group], displayName: unique('huge'), members: many });
    expectScimError(res, 400, 'tooMany');
  });
});

describe('DELETE /Groups/{id}', () => {
  it('answers 204, then 404; members stay as users; the name is free again', async () => {
    const a = await createUser(c);
    const g = await createGroup(c, [a.id]);
    expect((await c.delete(`/Groups/${g.id}`)).status).toBe(204);
    expect((await c.get(`/Groups/${g.id}`)).status).toBe(404);
    expect((await c.get(`/Users/${a.id}`)).status).toBe(200);
    expect((await c.post('/Groups', { schemas: [URN.group], displayName: g.displayName })).status).toBe(201);
  });
});
