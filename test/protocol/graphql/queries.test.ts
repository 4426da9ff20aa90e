import { getIntrospectionQuery } from 'graphql';
import { createTestApp, TestApp } from '../../support/app.js';
import { clockPast } from '../../support/wait.js';

/** The users/groups queries over HTTP: the filter tree in SQL, ordering, both paging styles, limits. */
let t: TestApp;
const ids: Record<string, string> = {};
let groupId: string;

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PRODUCT = 'urn:ietf:params:scim:schemas:extension:querypie:2.0:User';

/** Four users, created in this order (the default order is creation order). */
const SEED = [
  {
    userName: 'alice@example.com',
    title: 'Engineer',
    name: { familyName: 'Anders' },
    emails: [{ value: 'alice@example.com', type: 'work', primary: true }],
    enterprise: { department: 'R&D', employeeNumber: '100' },
  },
  { userName: 'bob@example.org', title: 'Manager', active: false, emails: [{ value: 'bob@home.net', type: 'home' }], enterprise: { department: 'Sales', employeeNumber: '200' } },
  {
    userName: 'carol@example.com',
    emails: [
      { value: 'carol@corp.com', type: 'work' },
      { value: 'Carol@Example.com', type: 'home' },
    ],
    enterprise: { department: 'R&D', employeeNumber: '300' },
    staticIp: '10.0.0.3',
  },
  { userName: 'dave@sample.net', title: 'Engineer II', enterprise: { employeeNumber: '400' } },
];

beforeAll(async () => {
  t = await createTestApp();
  for (const input of SEED) {
    const d = await t.ok<{ createUser: { id: string } }>('mutation($i: UserInputType!) { createUser(input: $i) { id } }', { i: input });
    ids[input.userName.split('@')[0]] = d.createUser.id;
  }
  // alice reports to bob
  await t.ok('mutation($id: ID!, $m: String!) { updateUser(id: $id, input: { enterprise: { manager: $m } }) { id } }', { id: ids.alice, m: ids.bob });
  const g = await t.ok<{ createGroup: { id: string } }>('mutation($i: GroupInputType!) { createGroup(input: $i) { id } }', {
    i: { displayName: 'Engineering', members: [{ id: ids.alice }, { id: ids.dave }] },
  });
  groupId = g.createGroup.id;
  await t.ok('mutation { createGroup(input: { displayName: "Empty" }) { id } }');
});
afterAll(() => t.close());

type Filter = Record<string, unknown>;
const cmp = (path: string, op: string, value?: unknown): Filter => ({ compare: { path, op, value } });

/** The first part of the userNames matching a filter, in the order asked. */
async function who(filter: Filter | null, orderBy?: { path: string; direction?: string }): Promise<string[]> {
  const d = await t.ok<{ users: { nodes: { userName: string }[] } }>('query($f: FilterInput, $o: OrderByInput) { users(filter: $f, orderBy: $o) { nodes { userName } } }', { f: filter, o: orderBy });
  return d.users.nodes.map((u) => u.userName.split('@')[0]);
}

describe('filter tree', () => {
  it.each<[string, Filter, string[]]>([
    ['eq (userName ignores case)', cmp('userName', 'EQ', 'ALICE@example.com'), ['alice']],
    ['ne (null is not equal)', cmp('title', 'NE', 'engineer'), ['bob', 'carol', 'dave']],
    ['co', cmp('userName', 'CO', 'example'), ['alice', 'bob', 'carol']],
    ['sw', cmp('userName', 'SW', 'CA'), ['carol']],
    ['ew', cmp('userName', 'EW', '.net'), ['dave']],
    ['gt', cmp(`${ENT}:employeeNumber`, 'GT', '200'), ['carol', 'dave']],
    ['ge', cmp(`${ENT}:employeeNumber`, 'GE', '200'), ['bob', 'carol', 'dave']],
    ['lt', cmp(`${ENT}:employeeNumber`, 'LT', '200'), ['alice']],
    ['le', cmp(`${ENT}:employeeNumber`, 'LE', '200'), ['alice', 'bob']],
    ['pr', cmp('title', 'PR'), ['alice', 'bob', 'dave']],
    ['eq on a boolean', cmp('active', 'EQ', false), ['bob']],
    ['eq on a sub-attribute (name.familyName)', cmp('name.familyName', 'EQ', 'anders'), ['alice']],
    ['and', { and: [cmp(`${ENT}:department`, 'EQ', 'r&d'), cmp('active', 'EQ', true)] }, ['alice', 'carol']],
    ['or', { or: [cmp('userName', 'SW', 'a'), cmp('userName', 'SW', 'd')] }, ['alice', 'dave']],
    ['not', { not: cmp('title', 'PR') }, ['carol']],
    ['nested and/or/not', { and: [{ or: [cmp('title', 'SW', 'engineer'), cmp('title', 'EQ', 'Manager')] }, { not: cmp('active', 'EQ', false) }] }, ['alice', 'dave']],
    ['emails.value eq (any element, ignoring case)', cmp('emails.value', 'EQ', 'carol@EXAMPLE.com'), ['carol']],
    ['emails pr', cmp('emails', 'PR'), ['alice', 'bob', 'carol']],
    ['any on emails', { any: { path: 'emails', where: { and: [cmp('type', 'EQ', 'work'), cmp('value', 'EW', '@corp.com')] } } }, ['carol']],
    ['any on emails with primary', { any: { path: 'emails', where: cmp('primary', 'EQ', true) } }, ['alice']],
    ['enterprise URN path', cmp(`${ENT}:department`, 'EQ', 'Sales'), ['bob']],
    ['enterprise manager.value', cmp(`${ENT}:manager.value`, 'EQ', '__bob__'), ['alice']],
    ['product extension URN path', cmp(`${PRODUCT}:staticIp`, 'PR'), ['carol']],
    ['URN paths ignore case', cmp(`${ENT.toUpperCase()}:DEPARTMENT`, 'EQ', 'sales'), ['bob']],
    ['groups.value', cmp('groups.value', 'EQ', '__group__'), ['alice', 'dave']],
  ])('%s', async (_label, filter, expected) => {
    // Ids are only known once seeded: placeholders are swapped in here.
    const resolved = JSON.parse(JSON.stringify(filter).replace('__bob__', ids.bob).replace('__group__', groupId)) as Filter;
    expect(await who(resolved)).toEqual(expected);
  });

  it('filters groups by members.value', async () => {
    const q = 'query($f: FilterInput) { groups(filter: $f) { nodes { displayName } totalCount } }';
    const d = await t.ok<{ groups: { nodes: { displayName: string }[]; totalCount: number } }>(q, { f: cmp('members.value', 'EQ', ids.dave) });
    expect(d.groups).toEqual({ nodes: [{ displayName: 'Engineering' }], totalCount: 1 });
    const none = await t.ok<{ groups: { nodes: { displayName: string }[] } }>(q, { f: { not: cmp('members', 'PR') } });
    expect(none.groups.nodes).toEqual([{ displayName: 'Empty' }]);
    const ci = await t.ok<{ groups: { nodes: { displayName: string }[] } }>(q, { f: cmp('displayName', 'EQ', 'ENGINEERING') });
    expect(ci.groups.nodes).toEqual([{ displayName: 'Engineering' }]);
  });

  it('filters by meta.lastModified gt', async () => {
    const all = await t.ok<{ users: { nodes: { lastModified: string }[] } }>('{ users { nodes { lastModified } } }');
    const latest = all.users.nodes
      .map((u) => u.lastModified)
      .sort()
      .at(-1)!;
    await clockPast(latest);
    await t.ok('mutation($id: ID!) { updateUser(id: $id, input: { nickName: "D" }) { id } }', { id: ids.dave });
    expect(await who(cmp('meta.lastModified', 'GT', latest))).toEqual(['dave']);
    expect(await who(cmp('meta.lastModified', 'LE', latest))).toEqual(['alice', 'bob', 'carol']);
  });

  it.each<[string, Filter]>([
    ['an unknown attribute', cmp('shoeSize', 'EQ', '42')],
    ['two keys in one node', { compare: { path: 'userName', op: 'EQ', value: 'x' }, not: cmp('title', 'PR') }],
    ['an empty and', { and: [] }],
    ['a string operator on a boolean', cmp('active', 'CO', 'tru')],
    ['a bad dateTime', cmp('meta.lastModified', 'GT', 'yesterday')],
    ['any on a single-valued attribute', { any: { path: 'userName', where: cmp('value', 'EQ', 'x') } }],
    ['an unknown sub-attribute', { any: { path: 'emails', where: cmp('colour', 'EQ', 'x') } }],
  ])('answers INVALID_FILTER for %s', async (_label, filter) => {
    const r = await t.gql('query($f: FilterInput) { users(filter: $f) { nodes { id } } }', { f: filter });
    expect(r.codes).toEqual(['INVALID_FILTER']);
  });
});

describe('ordering and paging', () => {
  const PAGE =
    'query($first: Int, $after: String, $offset: Int, $limit: Int) { users(first: $first, after: $after, offset: $offset, limit: $limit) { totalCount nodes { userName } edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }';
  interface Conn {
    totalCount: number;
    nodes: { userName: string }[];
    edges: { cursor: string; node: { id: string } }[];
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  }
  const page = async (v: Record<string, unknown>) => (await t.ok<{ users: Conn }>(PAGE, v)).users;
  const names = (c: Conn) => c.nodes.map((u) => u.userName.split('@')[0]);

  it('orders by creation by default, and by any sortable attribute either way', async () => {
    expect(await who(null)).toEqual(['alice', 'bob', 'carol', 'dave']);
    expect(await who(null, { path: 'userName', direction: 'DESC' })).toEqual(['dave', 'carol', 'bob', 'alice']);
    // Missing values sort last in either direction.
    expect(await who(null, { path: 'title' })).toEqual(['alice', 'dave', 'bob', 'carol']);
    expect(await who(null, { path: `${ENT}:employeeNumber`, direction: 'DESC' })).toEqual(['dave', 'carol', 'bob', 'alice']);
    expect(await who(null, { path: 'emails', direction: 'ASC' })).toEqual(['alice', 'bob', 'carol', 'dave']);
    expect((await t.gql('{ users(orderBy: { path: "shoeSize" }) { nodes { id } } }')).codes).toEqual(['INVALID_FILTER']);
  });

  it('walks Relay cursors with first/after', async () => {
    const p1 = await page({ first: 3 });
    expect(names(p1)).toEqual(['alice', 'bob', 'carol']);
    expect(p1.totalCount).toBe(4);
    expect(p1.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false, startCursor: p1.edges[0].cursor, endCursor: p1.edges[2].cursor });
    const p2 = await page({ first: 3, after: p1.pageInfo.endCursor });
    expect(names(p2)).toEqual(['dave']);
    expect(p2.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect(p2.totalCount).toBe(4);
    const p3 = await page({ first: 3, after: p2.pageInfo.endCursor });
    expect(p3.nodes).toEqual([]);
    expect(p3.pageInfo.endCursor).toBeNull();
  });

  it('pages with offset/limit, and limit 0 counts only', async () => {
    expect(names(await page({ offset: 1, limit: 2 }))).toEqual(['bob', 'carol']);
    const counted = await page({ limit: 0 });
    expect(counted.nodes).toEqual([]);
    expect(counted.totalCount).toBe(4);
    const filtered = await t.ok<{ users: { totalCount: number; nodes: unknown[] } }>('query($f: FilterInput) { users(filter: $f, limit: 1) { totalCount nodes { id } } }', {
      f: cmp('userName', 'CO', 'example'),
    });
    expect(filtered.users).toMatchObject({ totalCount: 3 });
    expect(filtered.users.nodes).toHaveLength(1);
  });

  it('rejects mixed or malformed paging arguments', async () => {
    for (const v of [{ first: 1, offset: 1 }, { after: 'bm9wZQ' }, { first: 5000 }, { offset: -1 }, { limit: -1 }]) {
      expect({ v, codes: (await t.gql(PAGE, v)).codes }).toEqual({ v, codes: ['INVALID_VALUE'] });
    }
  });
});

describe('query limits', () => {
  it('refuses a query nested too deep with QUERY_TOO_DEEP', async () => {
    const deep = '{ groups { nodes { members { nodes { group { members { nodes { group { members { nodes { group { members { nodes { group { id } } } } } } } } } } } } } } }';
    const r = await t.gql(deep);
    expect(r.status).toBe(400);
    expect(r.codes).toEqual(['QUERY_TOO_DEEP']);
  });

  it('counts a fragment at every place it is spread', async () => {
    // The first spread is shallow; the second would hide 16 levels if fragments were counted once.
    const q = `fragment Deep on Group { members { nodes { group { members { nodes { group { members { nodes { group { id } } } } } } } } } }
      { shallow: groups { nodes { ...Deep } } deep: groups { nodes { members { nodes { group { members { nodes { group { ...Deep } } } } } } } } }`;
    expect((await t.gql(q)).codes).toEqual(['QUERY_TOO_DEEP']);
  });

  it('lets the standard introspection query through (GraphiQL and codegen need it)', async () => {
    const r = await t.gql<{ __schema: { types: unknown[] } }>(getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }), {}, await t.apiKey('READER'));
    expect(r.errors).toEqual([]);
    expect(r.data?.__schema.types.length).toBeGreaterThan(10);
  });

  it('refuses a query that would cost too much with QUERY_TOO_COMPLEX', async () => {
    const r = await t.gql('{ groups(first: 1000) { nodes { members(limit: 100000) { nodes { user { id userName emails { value } } } } } } }');
    expect(r.status).toBe(400);
    expect(r.codes).toEqual(['QUERY_TOO_COMPLEX']);
    expect(r.errors[0].message).toMatch(/limit is/);
  });

  it('answers a syntax error with GRAPHQL_PARSE_FAILED', async () => {
    const r = await t.gql('{ users { ');
    expect(r.status).toBe(400);
    expect(r.codes).toEqual(['GRAPHQL_PARSE_FAILED']);
  });
});
