import { PUBLIC_URL, ScimTestApp, startScimApp } from './scim-app.js';
import { createUser, patchOp, scimClient, ScimClient, sql, unique, URN, userBody } from './scim-client.js';

/** /Users over HTTP: create, read, replace, delete, versions and headers, projection. */
let app: ScimTestApp;
let c: ScimClient;
beforeAll(async () => {
  app = await startScimApp('okta');
  c = scimClient(app);
});
afterAll(() => app.close());

const BASE = `${PUBLIC_URL}/scim/v2`;

describe('POST /Users', () => {
  it('answers 201 with Location, ETag and an absolute meta.location, and never returns the password', async () => {
    const userName = unique('alice');
    const res = await c.post(
      '/Users',
      userBody({
        userName,
        password: 'Secret-123!',
        name: { givenName: 'Alice', familyName: 'Liddell' },
        emails: [{ value: `${userName}@example.com`, type: 'work', primary: true }],
        [URN.enterprise]: { department: 'Sales' },
      }),
    );
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
    const id = res.body.id as string;
    expect(res.headers.location).toBe(`${BASE}/Users/${id}`);
    expect(res.body.meta).toMatchObject({ resourceType: 'User', location: `${BASE}/Users/${id}`, version: 'W/"1"' });
    expect(res.headers.etag).toBe(res.body.meta.version);
    expect(res.body.meta.created).toEqual(expect.any(String));
    expect(res.body.meta.lastModified).toEqual(expect.any(String));
    expect(res.body).toMatchObject({ userName, active: true, name: { givenName: 'Alice', familyName: 'Liddell' }, [URN.enterprise]: { department: 'Sales' } });
    expect(res.body.schemas).toEqual([URN.user, URN.enterprise]);
    expect(res.body.password).toBeUndefined();
    expect(JSON.stringify(res.body)).not.toContain('Secret-123!');
    // not even when asked for by name (returned: never)
    const asked = await c.get(`/Users/${id}?attributes=password,userName`);
    expect(Object.keys(asked.body).sort()).toEqual(['id', 'schemas', 'userName']);
    const listed = await c.get('/Users').query({ filter: `userName eq "${userName}"`, attributes: 'password' });
    expect(listed.body.Resources).toEqual([{ schemas: [URN.user, URN.enterprise], id }]);
  });

  it('accepts application/json and ignores readOnly attributes and unknown schema URNs', async () => {
    const userName = unique('json');
    const res = await app.http
      .post('/scim/v2/Users')
      .set('Authorization', `Bearer ${app.token}`)
      .send({ schemas: [URN.user, 'urn:ietf:params:scim:schemas:extension:entra:2.0:User'], userName, id: 'mine', meta: { version: 'W/"9"' }, groups: [] });
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
    expect(res.body.id).not.toBe('mine');
    expect(res.body.meta.version).toBe('W/"1"');
  });

  it("marks users created over SCIM as managed by the token's IdP", async () => {
    const u = await createUser(c);
    const rows = await sql<{ source: string }>(app, 'select source from users where id = ?', [u.id]);
    expect(rows).toEqual([{ source: 'okta' }]);
  });

  it('projects the 201 body with attributes / excludedAttributes', async () => {
    const only = await c.post('/Users?attributes=userName', userBody({ title: 'Boss' }));
    expect(only.status).toBe(201);
    expect(Object.keys(only.body).sort()).toEqual(['id', 'schemas', 'userName']);
    const without = await c.post('/Users?excludedAttributes=title,meta', userBody({ title: 'Boss' }));
    expect(without.status).toBe(201);
    expect(without.body.title).toBeUndefined();
    expect(without.body.meta).toBeUndefined();
    expect(without.body.id).toEqual(expect.any(String));
    expect(without.headers.etag).toBe('W/"1"');
  });
});

describe('GET /Users/{id}', () => {
  it('returns the user with the ETag of meta.version', async () => {
    const u = await createUser(c, { title: 'Engineer' });
    const res = await c.get(`/Users/${u.id}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
    expect(res.body).toMatchObject({ id: u.id, userName: u.userName, title: 'Engineer' });
    expect(res.headers.etag).toBe(res.body.meta.version);
    expect(res.body.meta.version).toMatch(/^W\/"\d+"$/);
  });

  it('answers 304 when If-None-Match names the current version, 200 otherwise', async () => {
    const u = await createUser(c);
    const same = await c.get(`/Users/${u.id}`).set('If-None-Match', 'W/"1"');
    expect(same.status).toBe(304);
    expect(same.headers.etag).toBe('W/"1"');
    expect(same.text).toBe('');
    const other = await c.get(`/Users/${u.id}`).set('If-None-Match', 'W/"7"');
    expect(other.status).toBe(200);
  });

  it.each<[string, string, string[], string[]]>([
    ['attributes=userName', 'attributes=userName', ['id', 'schemas', 'userName'], []],
    ['attributes=name.givenName', 'attributes=name.givenName', ['id', 'name', 'schemas'], []],
    ['excludedAttributes=emails,name', 'excludedAttributes=emails,name', ['active', 'id', 'meta', 'schemas', 'title', 'userName'], ['emails', 'name']],
    ['excludedAttributes=id,schemas (always returned)', 'excludedAttributes=id,schemas', ['active', 'emails', 'id', 'meta', 'name', 'schemas', 'title', 'userName'], []],
    ['attributes=urn enterprise', `attributes=${URN.enterprise}:department`, ['id', 'schemas', URN.enterprise], []],
  ])('projects a single GET: %s', async (_label, query, keys, absent) => {
    const u = await createUser(c, { title: 'T', name: { givenName: 'G', familyName: 'F' }, emails: [{ value: 'x@example.com' }], [URN.enterprise]: { department: 'D', costCenter: 'C' } });
    const res = await c.get(`/Users/${u.id}?${query}`);
    expect(res.status).toBe(200);
    const expected = new Set(keys);
    for (const k of keys) expect(res.body).toHaveProperty([k]);
    for (const k of absent) expect(res.body[k]).toBeUndefined();
    if (query.startsWith('attributes=')) expect(Object.keys(res.body).sort()).toEqual([...expected].sort());
    if (query.includes('name.givenName')) expect(res.body.name).toEqual({ givenName: 'G' });
    if (query.includes('department')) expect(res.body[URN.enterprise]).toEqual({ department: 'D' });
  });
});

describe('PUT /Users/{id}', () => {
  it('replaces every writable attribute: omitted ones are cleared, readOnly ones ignored', async () => {
    const u = await createUser(c, { title: 'Engineer', nickName: 'Al', externalId: 'ext-1', [URN.enterprise]: { department: 'Sales' } });
    const res = await c.put(`/Users/${u.id}`, {
      schemas: [URN.user],
      id: '00000000-0000-0000-0000-000000000000',
      meta: { version: 'W/"42"', created: '2000-01-01T00:00:00Z' },
      userName: u.userName,
      externalId: 'ext-1',
      displayName: 'Alice',
    });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(u.id);
    expect(res.body.displayName).toBe('Alice');
    expect(res.body.title).toBeUndefined();
    expect(res.body.nickName).toBeUndefined();
    expect(res.body[URN.enterprise]).toBeUndefined();
    expect(res.body.meta.version).toBe('W/"2"');
    expect(res.headers.etag).toBe('W/"2"');
    expect(res.body.meta.created).not.toMatch(/^2000/);
    const read = await c.get(`/Users/${u.id}`);
    expect(read.body.title).toBeUndefined();
  });

  it('projects the PUT response', async () => {
    const u = await createUser(c);
    const res = await c.put(`/Users/${u.id}?attributes=userName`, userBody({ userName: u.userName, title: 'New' }));
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['id', 'schemas', 'userName']);
  });

  it('re-sending the same resource keeps meta.version', async () => {
    const u = await createUser(c, { title: 'Same' });
    const res = await c.put(`/Users/${u.id}`, { schemas: [URN.user], userName: u.userName, title: 'Same' });
    expect(res.status).toBe(200);
    expect(res.body.meta.version).toBe('W/"1"');
  });

  it('honours If-Match: a stale version is 412, the current one succeeds, * always does', async () => {
    const u = await createUser(c);
    const stale = await c.put(`/Users/${u.id}`, userBody({ userName: u.userName, title: 'x' })).set('If-Match', 'W/"5"');
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ schemas: [URN.error], status: '412' });
    const ok = await c.put(`/Users/${u.id}`, userBody({ userName: u.userName, title: 'x' })).set('If-Match', 'W/"1"');
    expect(ok.status).toBe(200);
    const star = await c.put(`/Users/${u.id}`, userBody({ userName: u.userName, title: 'y' })).set('If-Match', '*');
    expect(star.status).toBe(200);
    expect(star.headers.etag).toBe('W/"3"');
  });
});

describe('PATCH /Users/{id}', () => {
  it('answers 204 with the new ETag, and changes what it names', async () => {
    const u = await createUser(c);
    const res = await c.patch(`/Users/${u.id}`, patchOp({ op: 'replace', path: 'title', value: 'CTO' }));
    expect(res.status).toBe(204);
    expect(res.headers.etag).toBe('W/"2"');
    expect((await c.get(`/Users/${u.id}`)).body.title).toBe('CTO');
  });

  it('accepts a body sent as application/json', async () => {
    const u = await createUser(c);
    const res = await app.http
      .patch(`/scim/v2/Users/${u.id}`)
      .set('Authorization', `Bearer ${app.token}`)
      .send(patchOp({ op: 'replace', path: 'title', value: 'JSON' }));
    expect(res.status).toBe(204);
    expect((await c.get(`/Users/${u.id}`)).body.title).toBe('JSON');
  });

  it('If-Match mismatch is 412 and changes nothing', async () => {
    const u = await createUser(c);
    const res = await c.patch(`/Users/${u.id}`, patchOp({ op: 'replace', path: 'title', value: 'CTO' })).set('If-Match', 'W/"9"');
    expect(res.status).toBe(412);
    expect((await c.get(`/Users/${u.id}`)).body.title).toBeUndefined();
  });
});

describe('DELETE /Users/{id}', () => {
  it('answers 204, then 404, and removes the user from its groups', async () => {
    const u = await createUser(c);
    const g = await c.post('/Groups', { schemas: [URN.group], displayName: unique('g'), members: [{ value: u.id }] });
    expect(g.status).toBe(201);
    const del = await c.delete(`/Users/${u.id}`);
    expect(del.status).toBe(204);
    expect((await c.get(`/Users/${u.id}`)).status).toBe(404);
    expect((await c.delete(`/Users/${u.id}`)).status).toBe(404);
    const group = await c.get(`/Groups/${g.body.id as string}`);
    expect(group.body.members ?? []).toEqual([]);
  });

  it('honours If-Match', async () => {
    const u = await createUser(c);
    expect((await c.delete(`/Users/${u.id}`).set('If-Match', 'W/"3"')).status).toBe(412);
    expect((await c.delete(`/Users/${u.id}`).set('If-Match', 'W/"1"')).status).toBe(204);
  });
});

describe('groups on a user', () => {
  it("lists the user's groups (readOnly) on GET", async () => {
    const u = await createUser(c);
    const name = unique('team');
    const g = await c.post('/Groups', { schemas: [URN.group], displayName: name, members: [{ value: u.id }] });
    const res = await c.get(`/Users/${u.id}`);
    expect(res.body.groups).toEqual([{ value: g.body.id, $ref: `${BASE}/Groups/${g.body.id as string}`, display: name, type: 'direct' }]);
    const lean = await c.get(`/Users/${u.id}?excludedAttributes=groups`);
    expect(lean.body.groups).toBeUndefined();
  });
});
