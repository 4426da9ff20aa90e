import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import type { Response } from 'supertest';
import { ScimTestApp, startScimApp } from './scim-app.js';
import { createGroup, createUser, expectScimError, Json, ListBody, patchOp, scimClient, ScimClient, unique, URN, userBody } from './scim-client.js';

/**
 * Text Roster cannot store as sent is a 400, never a 500 and never stored altered: U+0000
 * (PostgreSQL text refuses it), lone surrogates, bytes that are not UTF-8 (they would become U+FFFD)
 * and bodies declared in another charset (415).
 */
let app: ScimTestApp;
let c: ScimClient;
beforeAll(async () => {
  app = await startScimApp('okta');
  c = scimClient(app);
});
afterAll(() => app.close());

/** Sends raw bytes as a SCIM request body (supertest would serialise a Buffer as JSON). */
function raw(method: 'post' | 'put' | 'patch', path: string, bytes: Buffer, headers: Record<string, string> = {}): Promise<Response> {
  const { port } = app.server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: method.toUpperCase(), path: `/scim/v2${path}`, headers: { Authorization: `Bearer ${app.token}`, 'Content-Type': 'application/scim+json', ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          // The fields of a supertest Response that the assertions read.
          resolve({ status: res.statusCode ?? 0, text, body: text ? (JSON.parse(text) as Json) : {}, headers: res.headers } as unknown as Response);
        });
      },
    );
    req.on('error', reject);
    req.end(bytes);
  });
}

async function countUsers(userName: string): Promise<number> {
  const res = await c.get(`/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`);
  expect(res.status).toBe(200);
  return (res.body as ListBody).totalResults;
}

describe('U+0000 and lone surrogates in filters are 400 invalidFilter', () => {
  const filters: [string, string][] = [
    ['a raw NUL (%00)', 'userName eq "a\u0000b"'],
    ['an escaped NUL', 'userName eq "a\\u0000b"'],
    ['an escaped NUL in a value filter', 'emails[value eq "a\\u0000b"]'],
    ['an escaped NUL under not', 'not (displayName co "\\u0000")'],
    ['a lone high surrogate', 'userName eq "a\\ud800b"'],
    ['a lone low surrogate', 'displayName sw "\\udc00"'],
  ];

  it.each(filters)('GET /Users with %s', async (_label, filter) => {
    expectScimError(await c.get(`/Users?filter=${encodeURIComponent(filter)}`), 400, 'invalidFilter');
  });

  it.each(filters.filter(([label]) => !label.includes('value filter')))('GET /Groups with %s', async (_label, filter) => {
    expectScimError(await c.get(`/Groups?filter=${encodeURIComponent(filter.replace('userName', 'displayName'))}`), 400, 'invalidFilter');
  });

  it.each(filters)('POST /Users/.search and /.search with %s', async (_label, filter) => {
    expectScimError(await c.post('/Users/.search', { schemas: [URN.search], filter }), 400, 'invalidFilter');
    expectScimError(await c.post('/.search', { schemas: [URN.search], filter }), 400, 'invalidFilter');
  });

  it('a surrogate pair written as two escapes is one character, and matches', async () => {
    const u = await createUser(c, { userName: unique('rocket-🚀') });
    const escaped = u.userName.replace('🚀', '\\ud83d\\ude80');
    const res = await c.get(`/Users?filter=${encodeURIComponent(`userName eq "${escaped}"`)}`);
    expect(res.status).toBe(200);
    expect((res.body as ListBody).Resources.map((r) => r.id)).toEqual([u.id]);
  });
});

describe('query strings that are not UTF-8 are 400', () => {
  it.each([
    ['a byte that starts no UTF-8 sequence', '%FF'],
    ['a truncated sequence', '%E2%82'],
    ['an overlong encoding', '%C0%AF'],
    ['a surrogate encoded as UTF-8 (CESU-8)', '%ED%A0%80'],
  ])('filter with %s is invalidFilter, not an empty list', async (_label, bytes) => {
    expectScimError(await c.get(`/Users?filter=userName%20eq%20%22a${bytes}%22`), 400, 'invalidFilter');
    expectScimError(await c.get(`/Groups?filter=displayName%20eq%20%22a${bytes}%22`), 400, 'invalidFilter');
  });

  it('other parameters are invalidValue', async () => {
    expectScimError(await c.get('/Users?attributes=userName%FF'), 400, 'invalidValue');
    expectScimError(await c.get('/Users?sortBy=%FF'), 400, 'invalidValue');
  });

  it('percent-encoded UTF-8 and stray percent signs still work', async () => {
    const u = await createUser(c, { userName: unique('ünïcödé') });
    const res = await c.get(`/Users?filter=${encodeURIComponent(`userName eq "${u.userName}"`)}`);
    expect((res.body as ListBody).totalResults).toBe(1);
    expect((await c.get(`/Users?filter=${encodeURIComponent('userName eq "100%"')}`)).status).toBe(200);
  });
});

describe('U+0000 and lone surrogates in written values are 400 invalidValue, and nothing is stored', () => {
  const values: [string, string][] = [
    ['NUL', 'a\u0000b'],
    ['a lone surrogate', 'a\ud800b'],
  ];

  it.each(values)('POST /Users with %s in any string attribute', async (_label, bad) => {
    for (const overrides of [
      { userName: `${unique('u')}${bad}` },
      { title: bad },
      { name: { givenName: bad } },
      { emails: [{ value: bad, type: 'work' }] },
      { externalId: bad },
      { password: bad },
      { [URN.enterprise]: { department: bad } },
      { [URN.product]: { staticIp: bad } },
    ]) {
      const userName = unique('text');
      const res = await c.post('/Users', userBody({ userName, ...overrides }));
      expectScimError(res, 400, 'invalidValue');
      expect(await countUsers(userName)).toBe(0);
    }
  });

  it.each(values)('PUT and PATCH /Users with %s', async (_label, bad) => {
    const u = await createUser(c);
    expectScimError(await c.put(`/Users/${u.id}`, userBody({ userName: u.userName, nickName: bad })), 400, 'invalidValue');
    expectScimError(await c.patch(`/Users/${u.id}`, patchOp({ op: 'replace', path: 'nickName', value: bad })), 400, 'invalidValue');
    expectScimError(await c.patch(`/Users/${u.id}`, patchOp({ op: 'add', value: { 'name.familyName': bad } })), 400, 'invalidValue');
    expectScimError(await c.patch(`/Users/${u.id}`, patchOp({ op: 'replace', path: 'password', value: bad })), 400, 'invalidValue');
    const after = await c.get(`/Users/${u.id}`);
    expect(after.body.meta.version).toBe('W/"1"');
    expect(after.body.nickName).toBeUndefined();
  });

  it.each(values)('POST, PUT and PATCH /Groups with %s', async (_label, bad) => {
    const displayName = unique('g');
    expectScimError(await c.post('/Groups', { schemas: [URN.group], displayName: `${displayName}${bad}` }), 400, 'invalidValue');
    expectScimError(await c.post('/Groups', { schemas: [URN.group], displayName, members: [{ value: bad }] }), 400, 'invalidValue');
    const g = await createGroup(c);
    expectScimError(await c.put(`/Groups/${g.id}`, { schemas: [URN.group], displayName: bad }), 400, 'invalidValue');
    expectScimError(await c.patch(`/Groups/${g.id}`, patchOp({ op: 'replace', path: 'displayName', value: bad })), 400, 'invalidValue');
    expectScimError(await c.patch(`/Groups/${g.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: bad }] })), 400, 'invalidValue');
    expect((await c.get(`/Groups/${g.id}`)).body.meta.version).toBe('W/"1"');
  });
});

describe('request bodies that are not UTF-8 are 400 invalidSyntax, never stored with U+FFFD', () => {
  const json = (userName: string, tail: Buffer) => Buffer.concat([Buffer.from(`{"schemas":["${URN.user}"],"userName":"${userName}","title":"a`), tail, Buffer.from('"}')]);

  it.each<[string, number[]]>([
    ['a byte that starts no UTF-8 sequence', [0xff]],
    ['a Latin-1 é', [0xe9]],
    ['a truncated sequence', [0xe2, 0x82]],
    ['an overlong encoding', [0xc0, 0xaf]],
    ['a surrogate encoded as UTF-8 (CESU-8)', [0xed, 0xa0, 0x80]],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
  ])('POST /Users with %s', async (_label, bytes) => {
    const userName = unique('bytes');
    const res = await raw('post', '/Users', json(userName, Buffer.from(bytes)));
    expectScimError(res, 400, 'invalidSyntax');
    expect(await countUsers(userName)).toBe(0);
  });

  it('PUT and PATCH too', async () => {
    const u = await createUser(c);
    expectScimError(await raw('put', `/Users/${u.id}`, json(u.userName, Buffer.from([0xff]))), 400, 'invalidSyntax');
    const patch = Buffer.concat([Buffer.from(`{"schemas":["${URN.patch}"],"Operations":[{"op":"replace","path":"title","value":"`), Buffer.from([0xc3]), Buffer.from('"}]}')]);
    expectScimError(await raw('patch', `/Users/${u.id}`, patch), 400, 'invalidSyntax');
    expect((await c.get(`/Users/${u.id}`)).body.meta.version).toBe('W/"1"');
  });

  it('valid UTF-8 (multi-byte, and with a byte order mark) is accepted as sent', async () => {
    const userName = unique('ok');
    const res = await raw('post', '/Users', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), json(userName, Buffer.from('é🚀'))]));
    expect(res.status).toBe(201);
    expect(res.body.title).toBe('aé🚀');
  });
});

describe('Content-Type charset', () => {
  it.each(['application/scim+json', 'application/json', 'application/scim+json; charset=utf-8', 'application/scim+json;charset=UTF-8', 'application/json; charset="utf-8"'])(
    '%s is accepted',
    async (contentType) => {
      const res = await c.post('/Users', userBody()).set('Content-Type', contentType);
      expect(res.status).toBe(201);
    },
  );

  it.each(['application/scim+json; charset=iso-8859-1', 'application/json; charset=windows-1252', 'application/scim+json; charset=utf-16', 'application/scim+json; charset=us-ascii'])(
    '%s is refused with 415 and nothing is stored',
    async (contentType) => {
      const userName = unique('charset');
      expectScimError(await c.post('/Users', userBody({ userName })).set('Content-Type', contentType), 415, 'invalidSyntax');
      expect(await countUsers(userName)).toBe(0);
      const u = await createUser(c);
      expectScimError(await c.patch(`/Users/${u.id}`, patchOp({ op: 'replace', path: 'title', value: 'x' })).set('Content-Type', contentType), 415, 'invalidSyntax');
    },
  );
});

describe('the body parser keeps its other answers', () => {
  it('gzip-encoded bodies are read', async () => {
    const userName = unique('gz');
    const res = await raw('post', '/Users', gzipSync(Buffer.from(JSON.stringify(userBody({ userName })))), { 'Content-Encoding': 'gzip' });
    expect(res.status).toBe(201);
    expect(res.body.userName).toBe(userName);
  });

  it('an unknown Content-Encoding is 415; a broken gzip stream is 400', async () => {
    expectScimError(await raw('post', '/Users', Buffer.from('{}'), { 'Content-Encoding': 'br' }), 415);
    expectScimError(await raw('post', '/Users', Buffer.from('not gzip at all'), { 'Content-Encoding': 'gzip' }), 400, 'invalidSyntax');
  });

  it('a "__proto__" member is invalidSyntax, however it is written, at any depth', async () => {
    expectScimError(await c.post('/Users', `{"schemas":["${URN.user}"],"userName":"${unique('p')}","__proto__":{"admin":true}}`), 400, 'invalidSyntax');
    // the name written with escapes is the same name once parsed
    expectScimError(await c.post('/Users', `{"schemas":["${URN.user}"],"userName":"${unique('p')}","\\u005f_proto__":{"admin":true}}`), 400, 'invalidSyntax');
    expectScimError(await c.post('/Users', `{"schemas":["${URN.user}"],"userName":"${unique('p')}","name":{"\\u005f\\u005fproto\\u005f\\u005f":{}}}`), 400, 'invalidSyntax');
    // an escape elsewhere is just text
    const ok = await c.post('/Users', `{"schemas":["${URN.user}"],"userName":"${unique('p')}","title":"caf\\u00e9"}`).expect(201);
    expect(ok.body.title).toBe('café');
  });
});
