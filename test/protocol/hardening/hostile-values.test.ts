import { OWNER_KEY } from '../../support/app.js';
import { recordSqlText } from '../../support/sql-wire.js';
import { startScimApp, type ScimTestApp } from '../scim/scim-app.js';
import { patchOp, scimClient, URN, type Json, type ListBody } from '../scim/scim-client.js';

/**
 * Values travel as parameters, never as SQL text: every write path and every filter path keeps
 * values with `;`, quotes, backslashes, LIKE wildcards, comment markers, emoji and combining marks
 * byte for byte, on both databases. (An embedded driver of the past split SQL text on `;`.)
 */
const VALUES: [string, string][] = [
  ['semicolon', 'Smith; John'],
  ['semicolons', 'a;b;;c;'],
  ['single quote', "O'Brien ''x''"],
  ['double quote', 'say "hi"'],
  ['backslash', 'back\\slash \\\\ \\n'],
  ['percent', '50% off'],
  ['underscore', 'snake_case__x'],
  ['line comment', 'x -- drop table users'],
  ['block comment', '/* y */ z'],
  ['emoji', 'rocket 🚀 👩‍💻'],
  ['combining mark', 'Cafe\u0301 n\u0303'],
  ['placeholders', '$1 ? :name ?? @p'],
  ['statement', "'; select pg_sleep(1); --"],
];

let app: ScimTestApp;
const wire = recordSqlText();
beforeAll(async () => {
  app = await startScimApp('okta', { ROSTER_BOOTSTRAP_ADMIN_TOKEN: OWNER_KEY });
  // the scim app does not bootstrap keys: make the OWNER key through the same path main.ts uses
  const { bootstrap } = await import('../../../src/bootstrap.js');
  const { loadConfig } = await import('../../../src/config/config.js');
  const { createLogger } = await import('../../../src/http/logger.js');
  await bootstrap(loadConfig({ ROSTER_BOOTSTRAP_ADMIN_TOKEN: OWNER_KEY, LOG_LEVEL: 'silent' }), app.db, createLogger('silent'));
});
afterAll(async () => {
  wire.stop();
  await app.close();
});

/** A SCIM filter string literal (RFC 7644 §3.4.2.2 uses JSON string syntax). */
const lit = (v: string) => JSON.stringify(v);
/** Code points, so that a slice never splits a surrogate pair. */
const cp = (v: string) => Array.from(v);
const filterPath = (attr: string, op: string, v: string) => `?filter=${encodeURIComponent(`${attr} ${op} ${lit(v)}`)}`;

async function gql<T>(query: string, variables: Json = {}): Promise<T> {
  const res = await app.http.post('/graphql').set('authorization', `Bearer ${OWNER_KEY}`).set('content-type', 'application/json').send({ query, variables });
  expect(res.body.errors).toBeUndefined();
  expect(res.status).toBe(200);
  return res.body.data as T;
}

describe.each(VALUES)('%s: %j', (label, v) => {
  const c = () => scimClient(app);
  const tag = label.replace(/\W/g, '');

  test('SCIM POST, GET, PUT, PATCH (add, replace, remove, filtered path) keep it byte for byte; every filter operator finds it', async () => {
    const userName = `hv-${tag}-${v}@example.com`;
    const created = await c()
      .post('/Users', { schemas: [URN.user], userName, displayName: v, nickName: v, name: { givenName: v }, emails: [{ value: `${tag}@example.com`, type: v }], [URN.enterprise]: { department: v } })
      .expect(201);
    const id = created.body.id as string;
    const read = await c().get(`/Users/${id}`).expect(200);
    expect(read.body).toMatchObject({ userName, displayName: v, nickName: v, name: { givenName: v }, emails: [{ type: v }], [URN.enterprise]: { department: v } });

    for (const [attr, op, needle] of [
      ['userName', 'eq', userName],
      ['displayName', 'eq', v],
      ['displayName', 'co', cp(v).slice(1, -1).join('') || v],
      ['displayName', 'sw', cp(v).slice(0, 3).join('')],
      ['displayName', 'ew', cp(v).slice(-3).join('')],
      ['nickName', 'eq', v],
      ['name.givenName', 'eq', v],
      ['emails.type', 'eq', v],
      [`${URN.enterprise}:department`, 'eq', v],
    ] as const) {
      const list = (
        await c()
          .get(`/Users${filterPath(attr, op, needle)}`)
          .expect(200)
      ).body as ListBody;
      expect({ attr, op, ids: list.Resources.map((r) => r.id) }).toEqual({ attr, op, ids: expect.arrayContaining([id]) });
    }
    const bracket = (
      await c()
        .get(`/Users?filter=${encodeURIComponent(`emails[type eq ${lit(v)}]`)}`)
        .expect(200)
    ).body as ListBody;
    expect(bracket.Resources.map((r) => r.id)).toContain(id);
    const searched = await c()
      .post('/Users/.search', { schemas: [URN.search], filter: `displayName eq ${lit(v)} and nickName eq ${lit(v)}` })
      .expect(200);
    expect((searched.body as ListBody).Resources.map((r) => r.id)).toEqual([id]);

    const put = await c()
      .put(`/Users/${id}`, { schemas: [URN.user], userName, displayName: `${v}|put`, nickName: v, title: v })
      .expect(200);
    expect(put.body).toMatchObject({ displayName: `${v}|put`, title: v });

    await c()
      .patch(
        `/Users/${id}`,
        patchOp({ op: 'replace', path: 'nickName', value: `${v}|n` }, { op: 'add', path: 'profileUrl', value: `https://x.test/${encodeURIComponent(v)}` }, { op: 'remove', path: 'title' }),
      )
      .expect(204);
    await c()
      .patch(`/Users/${id}`, patchOp({ op: 'add', path: 'emails', value: [{ value: `${tag}2@example.com`, type: v }] }, { op: 'replace', path: `emails[type eq ${lit(v)}].display`, value: v }))
      .expect(204);
    const after = await c().get(`/Users/${id}`).expect(200);
    expect(after.body.nickName).toBe(`${v}|n`);
    expect(after.body.title).toBeUndefined();
    expect(after.body.profileUrl).toBe(`https://x.test/${encodeURIComponent(v)}`);
    expect((after.body.emails as Json[]).every((e) => e.display === v)).toBe(true);
  });

  test('SCIM groups: create, rename by PUT and PATCH, filter; an absent name finds nothing', async () => {
    const none = (
      await c()
        .get(`/Groups${filterPath('displayName', 'eq', `absent ${v}`)}`)
        .expect(200)
    ).body as ListBody;
    expect(none).toMatchObject({ totalResults: 0, Resources: [] });
    const g = await c()
      .post('/Groups', { schemas: [URN.group], displayName: `g ${v}`, members: [] })
      .expect(201);
    const id = g.body.id as string;
    expect(
      (
        (
          await c()
            .get(`/Groups${filterPath('displayName', 'eq', `g ${v}`)}`)
            .expect(200)
        ).body as ListBody
      ).Resources.map((r) => r.id),
    ).toEqual([id]);
    await c()
      .put(`/Groups/${id}`, { schemas: [URN.group], displayName: `g2 ${v}`, members: [] })
      .expect(200);
    await c()
      .patch(`/Groups/${id}`, patchOp({ op: 'replace', value: { displayName: `g3 ${v}` } }))
      .expect(204);
    expect((await c().get(`/Groups/${id}`).expect(200)).body.displayName).toBe(`g3 ${v}`);
  });

  test('GraphQL create, update, replace and filters keep it byte for byte', async () => {
    const userName = `gq-${tag}-${v}`;
    const created = await gql<{ createUser: { id: string; displayName: string } }>('mutation($i: UserInputType!) { createUser(input: $i) { id displayName } }', {
      i: { userName, displayName: v, title: v },
    });
    const id = created.createUser.id;
    expect(created.createUser.displayName).toBe(v);
    const updated = await gql<{ updateUser: { nickName: string } }>('mutation($id: ID!, $i: UserInputType!) { updateUser(id: $id, input: $i) { nickName } }', { id, i: { nickName: v } });
    expect(updated.updateUser.nickName).toBe(v);
    const replaced = await gql<{ replaceUser: { displayName: string; title: string | null } }>('mutation($id: ID!, $i: UserInputType!) { replaceUser(id: $id, input: $i) { displayName title } }', {
      id,
      i: { userName, displayName: `${v}|r` },
    });
    expect(replaced.replaceUser).toEqual({ displayName: `${v}|r`, title: null });
    for (const op of ['EQ', 'CO', 'SW', 'EW']) {
      const found = await gql<{ users: { nodes: { id: string }[] } }>('query($f: FilterInput) { users(filter: $f) { nodes { id } } }', {
        f: { compare: { path: 'displayName', op, value: `${v}|r` } },
      });
      expect({ op, ids: found.users.nodes.map((n) => n.id) }).toEqual({ op, ids: [id] });
    }
    const group = await gql<{ createGroup: { id: string } }>('mutation($i: GroupInputType!) { createGroup(input: $i) { id } }', { i: { displayName: `gq ${v}` } });
    await gql('mutation($id: ID!, $i: GroupChangeInput!) { updateGroup(id: $id, input: $i) { id } }', { id: group.createGroup.id, i: { displayName: `gq2 ${v}` } });
    const groups = await gql<{ groups: { nodes: { id: string; displayName: string }[] } }>('query($f: FilterInput) { groups(filter: $f) { nodes { id displayName } } }', {
      f: { compare: { path: 'displayName', op: 'EQ', value: `gq2 ${v}` } },
    });
    expect(groups.groups.nodes).toEqual([{ id: group.createGroup.id, displayName: `gq2 ${v}` }]);
    const absent = await gql<{ groups: { nodes: unknown[] } }>('query($f: FilterInput) { groups(filter: $f) { nodes { id } } }', {
      f: { compare: { path: 'displayName', op: 'EQ', value: `absent ${v}` } },
    });
    expect(absent.groups.nodes).toEqual([]);
  });
});

describe('the NUL character (U+0000), which PostgreSQL text cannot hold', () => {
  const c = () => scimClient(app);
  const nul = 'a\u0000b';

  test('is refused with 400 in SCIM writes and filters, and nothing is stored', async () => {
    const userName = `nul-${Date.now()}@example.com`;
    for (const body of [
      { schemas: [URN.user], userName: `${userName}${nul}` },
      { schemas: [URN.user], userName, displayName: nul },
      { schemas: [URN.user], userName, emails: [{ value: 'x@example.com', type: nul }] },
    ]) {
      const res = await c().post('/Users', body);
      expect({ status: res.status, scim: res.body.schemas }).toEqual({ status: 400, scim: [URN.error] });
    }
    expect(
      (
        (
          await c()
            .get(`/Users${filterPath('userName', 'eq', userName)}`)
            .expect(200)
        ).body as ListBody
      ).totalResults,
    ).toBe(0);
    for (const filter of [`displayName eq ${lit(nul)}`, `emails[type eq ${lit(nul)}]`, `displayName co ${lit(nul)}`]) {
      const res = await c().get(`/Users?filter=${encodeURIComponent(filter)}`);
      expect({ filter, status: res.status }).toEqual({ filter, status: 400 });
    }
    const created = await c()
      .post('/Users', { schemas: [URN.user], userName })
      .expect(201);
    const patched = await c().patch(`/Users/${created.body.id as string}`, patchOp({ op: 'replace', path: 'nickName', value: nul }));
    expect(patched.status).toBe(400);
    expect(
      (
        await c()
          .get(`/Users/${created.body.id as string}`)
          .expect(200)
      ).body.nickName,
    ).toBeUndefined();
  });

  test('is a typed GraphQL error in writes and filters, never an internal one', async () => {
    for (const [query, variables] of [
      ['mutation($i: UserInputType!) { createUser(input: $i) { id } }', { i: { userName: `nul-gql-${Date.now()}`, displayName: nul } }],
      ['query($f: FilterInput) { users(filter: $f) { nodes { id } } }', { f: { compare: { path: 'userName', op: 'EQ', value: nul } } }],
      ['query($f: FilterInput) { groups(filter: $f) { nodes { id } } }', { f: { compare: { path: 'displayName', op: 'CO', value: nul } } }],
    ] as const) {
      const res = await app.http.post('/graphql').set('authorization', `Bearer ${OWNER_KEY}`).set('content-type', 'application/json').send({ query, variables });
      expect(res.status).toBeLessThan(500);
      expect(res.body.errors?.[0]?.extensions?.code).toMatch(/^(INVALID_VALUE|INVALID_FILTER|BAD_USER_INPUT)$/);
    }
  });
});

describe('on the wire', () => {
  test('no value above reached the database inside SQL text: every write and filter sent it as a parameter', () => {
    // literal forms a value would take if it were inlined: as is, and with quotes doubled
    const forms = VALUES.flatMap(([, v]) => [v, v.replaceAll("'", "''")]).filter((f) => f.length >= 4);
    const inlined = wire.texts.filter((t) => forms.some((f) => t.includes(f)));
    expect(inlined).toEqual([]);
    // the observation saw the writes: the single-statement create and update of users (each with
    // its audit event in one CTE), the unit of work's audit inserts of group writes, and the filters
    expect(wire.texts.some((t) => /^with u as \(insert into users /.test(t))).toBe(true);
    expect(wire.texts.some((t) => /^with u0 as \(select .* from users u where .* upd as \(update users u set /.test(t))).toBe(true);
    expect(wire.texts.some((t) => /^insert into "audit_events"/.test(t))).toBe(true);
  });
});
