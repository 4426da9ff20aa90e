import { SYSTEM } from '../../../src/auth/principal.js';
import { CredentialService } from '../../../src/domain/credentials/credential-service.js';
import { ScimTestApp, startScimApp } from './scim-app.js';
import { createGroup, createUser, expectScimError, Json, patchOp, scimClient, ScimClient, unique, URN, userBody } from './scim-client.js';

/**
 * RFC 7644 §3.12 error bodies on every path, and no 500 for any input. The app runs with a 2 kB
 * body limit so that 413 is cheap to reach.
 */
let app: ScimTestApp;
let c: ScimClient;
beforeAll(async () => {
  app = await startScimApp('okta', { BODY_LIMIT: '2kb' });
  c = scimClient(app);
});
afterAll(() => app.close());

const ZERO = '00000000-0000-0000-0000-000000000000';

describe('401', () => {
  it.each<[string, string | undefined]>([
    ['no Authorization header', undefined],
    ['an unknown token', 'Bearer scim_0000000000000000000000000000000000000000'],
    ['a Basic header', 'Basic dXNlcjpwYXNz'],
    ['an empty bearer', 'Bearer '],
    ['two tokens', 'Bearer a b'],
  ])('%s', async (_label, header) => {
    const req = app.http.get('/scim/v2/Users');
    const res = await (header === undefined ? req : req.set('Authorization', header));
    expectScimError(res, 401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it('comes before routing: unknown paths and methods also answer 401', async () => {
    expectScimError(await app.http.get('/scim/v2/Nope'), 401);
    expectScimError(await app.http.delete('/scim/v2/ServiceProviderConfig'), 401);
  });
});

describe('403', () => {
  it('a READER API key may read but not write', async () => {
    const key = await new CredentialService(app.db.store()).createApiKey(SYSTEM, unique('reader'), 'READER');
    const reader = scimClient(app, key.secret);
    expect((await reader.get('/Users?count=1')).status).toBe(200);
    expectScimError(await reader.post('/Users', userBody()), 403);
  });
});

describe('404', () => {
  it('only /scim/v2 and what is under it is the facade: /scim/v2 itself answers SCIM, /scim/v2x does not', async () => {
    const auth = { Authorization: `Bearer ${app.token}` };
    expectScimError(await app.http.get('/scim/v2').set(auth), 404);
    const other = await app.http.get('/scim/v2x/Users').set(auth);
    expect(other.status).toBe(404);
    expect(other.body?.schemas).toBeUndefined();
  });

  // GET /Users/.search reads as the user with id ".search".
  it.each(['/Devices', '/Users/x/y', '/', '/Bulk', '/Users/.search'])('unknown route %s', async (path) => {
    expectScimError(await c.get(path), 404);
  });

  it.each<['get' | 'put' | 'patch' | 'delete', string]>(
    (['get', 'put', 'patch', 'delete'] as const).flatMap((m) =>
      ['/Users/not-a-uuid', `/Users/${ZERO}`, '/Groups/not-a-uuid', `/Groups/${ZERO}`, `/Users/${ZERO.toUpperCase().replace(/0/g, 'A')}`].map((p): ['get' | 'put' | 'patch' | 'delete', string] => [
        m,
        p,
      ]),
    ),
  )('%s %s', async (method, path) => {
    const body = method === 'patch' ? patchOp({ op: 'replace', path: 'displayName', value: 'x' }) : path.startsWith('/Users') ? userBody() : { schemas: [URN.group], displayName: unique('g') };
    const res = method === 'get' || method === 'delete' ? await c.call(method, path) : await c[method](path, body);
    expectScimError(res, 404);
  });
});

describe('405', () => {
  it.each<['get' | 'post' | 'put' | 'patch' | 'delete', string]>([
    ['patch', '/Users'],
    ['delete', '/Users'],
    ['put', '/Groups'],
    ['post', `/Users/${ZERO}`],
    ['delete', '/ServiceProviderConfig'],
  ])('%s %s', async (method, path) => {
    const res = await c.call(method, path);
    expectScimError(res, 405);
    expect(res.headers.allow).toBeTruthy();
  });
});

describe('409 uniqueness', () => {
  it('userName without regard to case, on POST, PUT and PATCH', async () => {
    const a = await createUser(c);
    const b = await createUser(c);
    expectScimError(await c.post('/Users', userBody({ userName: a.userName.toUpperCase() })), 409, 'uniqueness');
    expectScimError(await c.put(`/Users/${b.id}`, userBody({ userName: a.userName.toUpperCase() })), 409, 'uniqueness');
    expectScimError(await c.patch(`/Users/${b.id}`, patchOp({ op: 'replace', path: 'userName', value: ` ${a.userName}`.trim() })), 409, 'uniqueness');
  });

  it('group displayName on PUT and PATCH', async () => {
    const a = await createGroup(c);
    const b = await createGroup(c);
    expectScimError(await c.put(`/Groups/${b.id}`, { schemas: [URN.group], displayName: a.displayName.toLowerCase() }), 409, 'uniqueness');
    expectScimError(await c.patch(`/Groups/${b.id}`, patchOp({ op: 'replace', path: 'displayName', value: a.displayName })), 409, 'uniqueness');
  });
});

describe('412', () => {
  it('If-Match mismatch on PUT, PATCH and DELETE of groups', async () => {
    const g = await createGroup(c);
    const stale = 'W/"9"';
    expectScimError(await c.put(`/Groups/${g.id}`, { schemas: [URN.group], displayName: g.displayName }).set('If-Match', stale), 412);
    expectScimError(await c.patch(`/Groups/${g.id}`, patchOp({ op: 'replace', path: 'displayName', value: 'x' })).set('If-Match', stale), 412);
    expectScimError(await c.delete(`/Groups/${g.id}`).set('If-Match', stale), 412);
    expectScimError(await c.delete(`/Groups/${g.id}`).set('If-Match', 'garbage'), 412);
    expect((await c.get(`/Groups/${g.id}`)).status).toBe(200);
  });
});

describe('413', () => {
  it('a body over the limit', async () => {
    const res = await c.post('/Users', userBody({ title: 'x'.repeat(4000) }));
    expectScimError(res, 413);
  });

  it('a PATCH over the limit', async () => {
    const u = await createUser(c);
    expectScimError(await c.patch(`/Users/${u.id}`, patchOp({ op: 'replace', path: 'title', value: 'y'.repeat(3000) })), 413);
  });
});

describe('400', () => {
  it.each<[string, string]>([
    ['truncated JSON', '{"userName": '],
    ['not JSON at all', 'userName=alice'],
    ['a JSON array', '[]'],
    ['a JSON string', '"alice"'],
    ['an empty object', '{}'],
    ['trailing garbage', '{"userName":"a"} x'],
  ])('%s is invalidSyntax', async (_label, body) => {
    expectScimError(await c.post('/Users', body), 400, 'invalidSyntax');
  });

  it('malformed JSON on PATCH and PUT is invalidSyntax', async () => {
    const u = await createUser(c);
    expectScimError(await c.patch(`/Users/${u.id}`, '{"Operations": ['), 400, 'invalidSyntax');
    expectScimError(await c.put(`/Users/${u.id}`, '{"userName"'), 400, 'invalidSyntax');
  });

  it.each<[string, Json, string]>([
    ['a boolean that is not one', { active: 'maybe' }, 'invalidValue'],
    ['a missing userName', { userName: undefined }, 'invalidValue'],
    ['an empty userName', { userName: '' }, 'invalidValue'],
    ['a number for a string', { userName: unique('n'), title: 42 }, 'invalidValue'],
    ['an object for a string', { title: { a: 1 } }, 'invalidValue'],
    ['a string for a complex attribute', { name: 'Alice' }, 'invalidValue'],
    [
      'two primary emails',
      {
        emails: [
          { value: 'a@b', primary: true },
          { value: 'c@d', primary: true },
        ],
      },
      'invalidValue',
    ],
    ['a NUL character', { title: 'a\u0000b' }, 'invalidValue'],
  ])('POST /Users with %s is %s', async (_label, overrides, scimType) => {
    expectScimError(await c.post('/Users', userBody(overrides)), 400, scimType);
  });

  it('PUT changing an immutable value or naming unknown members is a 400 and changes nothing', async () => {
    const g = await createGroup(c);
    expectScimError(await c.put(`/Groups/${g.id}`, { schemas: [URN.group], displayName: g.displayName, members: [{ value: 'not-a-uuid' }] }), 400, 'invalidValue');
    expectScimError(await c.put(`/Groups/${g.id}`, { schemas: [URN.group], displayName: g.displayName, members: 'everyone' }), 400, 'invalidValue');
    expect((await c.get(`/Groups/${g.id}`)).body.meta.version).toBe('W/"1"');
  });
});

describe('no 500 for any input', () => {
  const deep = `${'('.repeat(200)}userName eq "x"${')'.repeat(200)}`;
  const deepNot = `${'not ('.repeat(100)}userName eq "x"${')'.repeat(100)}`;
  const wide = Array.from({ length: 300 }, (_, i) => `userName eq "u${i}"`).join(' or ');
  const queries: [string, string][] = [
    ['deeply nested filter', `filter=${encodeURIComponent(deep)}`],
    ['deeply nested not', `filter=${encodeURIComponent(deepNot)}`],
    ['very wide filter', `filter=${encodeURIComponent(wide)}`],
    ['nested value filters', `filter=${encodeURIComponent('emails[type eq "work" and emails[value eq "x"]]')}`],
    ['huge startIndex', 'startIndex=99999999999999999999'],
    ['startIndex past Int', 'startIndex=2147483648'],
    ['huge count', 'count=99999999999999999999'],
    ['exponent count', 'count=1e3'],
    ['negative count', 'count=-1'],
    ['non-numeric count', 'count=abc'],
    ['non-numeric startIndex', 'startIndex=first'],
    ['Infinity', 'count=Infinity'],
    ['repeated parameters', 'count=1&count=2&filter=a&filter=b'],
    ['unicode filter', `filter=${encodeURIComponent('userName eq "ユーザー🙂"')}`],
    ['NUL in filter', `filter=${encodeURIComponent('userName eq "a\u0000b"')}`],
    ['NUL in attribute name', `filter=${encodeURIComponent('user\u0000Name eq "a"')}`],
    ['lone surrogate', 'filter=userName%20eq%20%22%ED%A0%80%22'],
    ['broken percent-encoding', 'filter=%E0%A4%A'],
    ['number compared with a string attribute', `filter=${encodeURIComponent('userName gt 5')}`],
    ['null compared with gt', `filter=${encodeURIComponent('userName gt null')}`],
    ['huge number', `filter=${encodeURIComponent('userName eq 1e999')}`],
    ['date compare with a number', `filter=${encodeURIComponent('meta.created gt 5')}`],
    ['id co', `filter=${encodeURIComponent('id co "0000"')}`],
    ['members on users', `filter=${encodeURIComponent('members[value eq "x"]')}`],
    ['sortBy a multi-valued sub-attribute', 'sortBy=emails.type'],
    ['sortBy a complex attribute', 'sortBy=name'],
    ['sortBy password', 'sortBy=password'],
    ['filter on password', `filter=${encodeURIComponent('password eq "x"')}`],
    ['filter on groups.display', `filter=${encodeURIComponent('groups.display eq "x"')}`],
    ['filter on meta.version', `filter=${encodeURIComponent('meta.version eq "W/\\"1\\""')}`],
    ['attributes garbage', 'attributes=%00,,,[],urn:x'],
  ];

  it.each(queries)('GET /Users with %s', async (_label, qs) => {
    const res = await c.get(`/Users?${qs}`);
    expect(res.status).toBeLessThan(500);
    if (res.status >= 400) expect(res.body).toMatchObject({ schemas: [URN.error], status: String(res.status) });
  });

  it.each(queries)('GET /Groups with %s', async (_label, qs) => {
    const res = await c.get(`/Groups?${qs}`);
    expect(res.status).toBeLessThan(500);
  });

  const bodies: [string, 'post' | 'put' | 'patch', string, unknown][] = [
    ['unicode userName', 'post', '/Users', userBody({ userName: `${unique('ユーザー')}-🙂` })],
    ['NUL in userName', 'post', '/Users', userBody({ userName: 'a\u0000b' })],
    ['NUL in an attribute name', 'post', '/Users', { ...userBody(), 'title\u0000': 'x' }],
    ['userName as an array', 'post', '/Users', userBody({ userName: ['a', 'b'] })],
    ['userName as an object', 'post', '/Users', userBody({ userName: { a: 1 } })],
    ['name as an array', 'post', '/Users', userBody({ name: ['x'] })],
    ['emails with a non-object', 'post', '/Users', userBody({ emails: ['a@b', 1, null] })],
    ['emails as one object', 'post', '/Users', userBody({ emails: { value: 'a@b' } })],
    ['emails with a nested array', 'post', '/Users', userBody({ emails: [[{ value: 'a' }]] })],
    ['primary as a string', 'post', '/Users', userBody({ emails: [{ value: 'a', primary: 'yes' }] })],
    ['schemas as a string', 'post', '/Users', userBody({ schemas: URN.user })],
    ['schemas with numbers', 'post', '/Users', userBody({ schemas: [1, 2] })],
    ['extension as an array', 'post', '/Users', userBody({ [URN.enterprise]: ['Sales'] })],
    ['manager as a number', 'post', '/Users', userBody({ [URN.enterprise]: { manager: 5 } })],
    ['a very long userName', 'post', '/Users', userBody({ userName: 'u'.repeat(1500) })],
    ['deeply nested JSON', 'post', '/Users', JSON.parse(`${'{"a":'.repeat(300)}1${'}'.repeat(300)}`)],
    ['members as a string', 'post', '/Groups', { schemas: [URN.group], displayName: unique('g'), members: 'all' }],
    ['members with numbers', 'post', '/Groups', { schemas: [URN.group], displayName: unique('g'), members: [1, 2] }],
    ['members with objects as values', 'post', '/Groups', { schemas: [URN.group], displayName: unique('g'), members: [{ value: { id: 1 } }] }],
    ['member of an unknown type', 'post', '/Groups', { schemas: [URN.group], displayName: unique('g'), members: [{ value: ZERO, type: 'Device' }] }],
    ['displayName as an array', 'post', '/Groups', { schemas: [URN.group], displayName: ['a'] }],
    ['blank displayName', 'post', '/Groups', { schemas: [URN.group], displayName: '   ' }],
    ['search with an object filter', 'post', '/Users/.search', { filter: { op: 'eq' } }],
    ['search with array count', 'post', '/Users/.search', { count: [1] }],
    ['search with attributes as an object', 'post', '/Groups/.search', { attributes: { a: 1 } }],
    ['root search with a NUL filter', 'post', '/.search', { filter: 'userName eq "\u0000"' }],
    ['root search with a huge startIndex', 'post', '/.search', { startIndex: 1e300 }],
  ];

  it.each(bodies)('%s (%s %s)', async (_label, method, path, body) => {
    const res = await c[method](path, body);
    expect(res.status).toBeLessThan(500);
    if (res.status >= 400) expect(res.body).toMatchObject({ schemas: [URN.error], status: String(res.status) });
  });

  it.each<[string, unknown]>([
    ['Operations as an object', { schemas: [URN.patch], Operations: { op: 'add' } }],
    ['value as an array where an object is expected', { schemas: [URN.patch], Operations: [{ op: 'replace', value: [1, 2] }] }],
    ['path as a number', { schemas: [URN.patch], Operations: [{ op: 'replace', path: 5, value: 'x' }] }],
    ['op as an array', { schemas: [URN.patch], Operations: [{ op: ['add'], path: 'title', value: 'x' }] }],
    ['name as an array', { schemas: [URN.patch], Operations: [{ op: 'replace', path: 'name', value: ['x'] }] }],
    ['emails filter with a number', { schemas: [URN.patch], Operations: [{ op: 'replace', path: 'emails[type eq 5].value', value: 'x' }] }],
    ['deep path filter', { schemas: [URN.patch], Operations: [{ op: 'remove', path: `emails[${'('.repeat(100)}type eq "x"${')'.repeat(100)}]` }] }],
    ['NUL value', { schemas: [URN.patch], Operations: [{ op: 'replace', path: 'title', value: '\u0000' }] }],
    ['members on a user', { schemas: [URN.patch], Operations: [{ op: 'add', path: 'members', value: [{ value: ZERO }] }] }],
    ['groups on a user (readOnly)', { schemas: [URN.patch], Operations: [{ op: 'add', path: 'groups', value: [{ value: ZERO }] }] }],
    ['password as a number', { schemas: [URN.patch], Operations: [{ op: 'replace', path: 'password', value: 5 }] }],
    ['sixty operations', { schemas: [URN.patch], Operations: Array.from({ length: 60 }, () => ({ op: 'add', path: 'title', value: 'x' })) }],
  ])('PATCH /Users with %s', async (_label, body) => {
    const u = await createUser(c);
    const res = await c.patch(`/Users/${u.id}`, body);
    expect(res.status).toBeLessThan(500);
  });

  it.each<[string, number, Json | undefined]>([
    ['members value a list of strings', 400, patchOp({ op: 'add', path: 'members', value: ['a', 'b'] })],
    ['members value a number', 400, patchOp({ op: 'add', path: 'members', value: 5 })],
    ['member that is the group itself', 400, undefined],
    // removing a member that is not there is a no-op, whatever its id looks like
    ['remove members with a non-uuid filter', 204, patchOp({ op: 'remove', path: 'members[value eq "zzz"]' })],
    ['remove members with a filter on type', 400, patchOp({ op: 'remove', path: 'members[type eq "User"]' })],
    ['replace members with a non-uuid', 400, patchOp({ op: 'replace', path: 'members', value: [{ value: 'nope' }] })],
  ])('PATCH /Groups with %s is %i', async (_label, status, body) => {
    const g = await createGroup(c);
    const res = await c.patch(`/Groups/${g.id}`, body ?? patchOp({ op: 'add', path: 'members', value: [{ value: g.id }] }));
    expect(res.status).toBe(status);
  });

  it.each(['/Users/%00', '/Users/%E0%A4%A', `/Users/${'a'.repeat(3000)}`, '/Groups/..%2F..%2Fetc', '/Users/%F0%9F%99%82'])('GET %s', async (path) => {
    const res = await c.get(path);
    expect(res.status).toBeLessThan(500);
  });

  it.each<[string, Record<string, string>]>([
    ['If-Match garbage', { 'If-Match': '"' }],
    ['If-Match a huge number', { 'If-Match': 'W/"99999999999999999999"' }],
    ['If-None-Match garbage', { 'If-None-Match': 'W/"abc"' }],
    ['Content-Type text/plain', { 'Content-Type': 'text/plain' }],
    ['Content-Type with a charset we lack', { 'Content-Type': 'application/scim+json; charset=ebcdic' }],
  ])('a PUT with %s', async (_label, headers) => {
    const u = await createUser(c);
    let req = c.put(`/Users/${u.id}`, userBody({ userName: u.userName }));
    for (const [k, v] of Object.entries(headers)) req = req.set(k, v);
    const res = await req;
    expect(res.status).toBeLessThan(500);
  });
});
