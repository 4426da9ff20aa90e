import { ScimTestApp, startScimApp } from './scim-app.js';
import { createGroup, createUser, expectScimError, ListBody, patchOp, scimClient, ScimClient, seedUsers, unique, URN } from './scim-client.js';
import { clockPast } from '../../support/wait.js';

/** GET /Users and /Groups with filters, paging, sorting and projection, end to end through SQL. */
let app: ScimTestApp;
let c: ScimClient;
beforeAll(async () => {
  app = await startScimApp();
  c = scimClient(app);
});
afterAll(() => app.close());

/** GET /Users with a filter; fails unless 200; returns the list body. */
async function listUsers(query: Record<string, string | number>): Promise<ListBody> {
  const res = await c.get('/Users').query(query);
  if (res.status !== 200) throw new Error(`GET /Users ${JSON.stringify(query)} answered ${res.status}: ${res.text}`);
  return res.body as ListBody;
}

/** The userNames (without the prefix) a filter matches among users whose name starts with `prefix`. */
async function matching(prefix: string, filter: string): Promise<string[]> {
  const body = await listUsers({ filter: `userName sw "${prefix}" and (${filter})`, count: 1000 });
  expect(body.totalResults).toBe(body.Resources.length);
  return body.Resources.map((r) => String(r.userName).slice(prefix.length + 1)).sort();
}

describe('filters', () => {
  const P = unique('f');
  let t0: string;
  beforeAll(async () => {
    await createUser(c, {
      userName: `${P}-alice`,
      title: 'Engineer',
      externalId: 'Ext-A',
      emails: [
        { value: 'alice@x.test', type: 'work' },
        { value: 'alice@home.test', type: 'home' },
      ],
      [URN.enterprise]: { department: 'Sales' },
      [URN.product]: { staticIp: '10.0.0.1' },
    });
    await createUser(c, {
      userName: `${P}-bob`,
      title: 'Manager',
      externalId: 'ext-a',
      active: false,
      emails: [
        { value: 'bob@y.test', type: 'work' },
        { value: 'bob@x.test', type: 'home' },
      ],
      [URN.enterprise]: { department: 'Engineering' },
      [URN.product]: { staticIp: '10.0.0.2' },
    });
    const carol = await createUser(c, { userName: `${P}-carol`, title: 'Engineer', [URN.enterprise]: { department: 'Sales' } });
    await clockPast();
    t0 = new Date().toISOString();
    await clockPast(t0);
    const res = await c.patch(`/Users/${carol.id}`, patchOp({ op: 'replace', path: 'nickName', value: 'C' }));
    expect(res.status).toBe(204);
  });

  it.each<[string, (p: string) => string, string[]]>([
    ['eq', (p) => `userName eq "${p}-alice"`, ['alice']],
    ['eq without regard to case', (p) => `userName eq "${p.toUpperCase()}-ALICE"`, ['alice']],
    ['EQ operator in capitals', (p) => `UserName EQ "${p}-alice"`, ['alice']],
    ['ne', (p) => `userName ne "${p}-alice"`, ['bob', 'carol']],
    ['co', () => 'userName co "-BO"', ['bob']],
    ['sw', (p) => `userName sw "${p}-c"`, ['carol']],
    ['ew', () => 'userName ew "ICE"', ['alice']],
    ['gt', (p) => `userName gt "${p}-alice"`, ['bob', 'carol']],
    ['ge', (p) => `userName ge "${p}-bob"`, ['bob', 'carol']],
    ['lt', (p) => `userName lt "${p}-bob"`, ['alice']],
    ['le', (p) => `userName le "${p}-bob"`, ['alice', 'bob']],
    ['pr', () => 'userName pr', ['alice', 'bob', 'carol']],
    ['and binds tighter than or', () => 'title eq "Engineer" or title eq "Manager" and active eq true', ['alice', 'carol']],
    ['parentheses override precedence', () => '(title eq "Engineer" or title eq "Manager") and active eq false', ['bob']],
    ['not', () => 'not (title eq "Engineer")', ['bob']],
    ['not of an absent value is true', () => 'not (emails pr)', ['carol']],
    ['not combined with or', () => 'not (title eq "Engineer") or userName ew "carol"', ['bob', 'carol']],
    ['value filter on emails', () => 'emails[type eq "work" and value co "@x"]', ['alice']],
    ['emails.value', () => 'emails.value eq "BOB@x.test"', ['bob']],
    ['emails shorthand', () => 'emails co "home.test"', ['alice']],
    ['enterprise URN attribute', () => `${URN.enterprise}:department eq "Sales"`, ['alice', 'carol']],
    ['product URN attribute', () => `${URN.product}:staticIp eq "10.0.0.1"`, ['alice']],
    ['active eq false', () => 'active eq false', ['bob']],
    ['caseExact externalId', () => 'externalId eq "Ext-A"', ['alice']],
    ['caseExact externalId, other case', () => 'externalId eq "ext-a"', ['bob']],
  ])('%s', async (_label, filter, expected) => {
    expect(await matching(P, filter(P))).toEqual(expected);
  });

  it('meta.lastModified gt', async () => {
    expect(await matching(P, `meta.lastModified gt "${t0}"`)).toEqual(['carol']);
    expect(await matching(P, `meta.lastModified lt "${t0}"`)).toEqual(['alice', 'bob']);
  });

  it('treats LIKE metacharacters literally', async () => {
    const Q = unique('like');
    for (const n of ['50%off', 'plain', 'a_b', 'axb', 'back\\slash']) await createUser(c, { userName: `${Q}-${n}` });
    expect(await matching(Q, 'userName co "%"')).toEqual(['50%off']);
    expect(await matching(Q, 'userName co "_"')).toEqual(['a_b']);
    expect(await matching(Q, 'userName ew "a_b"')).toEqual(['a_b']);
    expect(await matching(Q, 'userName co "\\\\"')).toEqual(['back\\slash']);
    const everyone = await listUsers({ filter: 'userName co "%"', count: 1000 });
    expect(everyone.Resources.every((r) => String(r.userName).includes('%'))).toBe(true);
  });

  it("a valid filter that matches nothing is 200 with an empty list (Entra's connection test)", async () => {
    const body = await listUsers({ filter: `userName eq "${unique('nobody')}"` });
    expect(body).toEqual({ schemas: [URN.list], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
  });

  it.each<[string, string]>([
    ['unknown attribute', 'favouriteColour eq "blue"'],
    ['unknown sub-attribute', 'emails[colour eq "blue"]'],
    ['unknown URN attribute', `${URN.enterprise}:shoeSize eq "9"`],
    ['missing value', 'userName eq'],
    ['unknown operator', 'userName is "x"'],
    ['dangling and', 'userName eq "x" and'],
    ['unbalanced parenthesis', '(userName eq "x"'],
    ['unterminated string', 'userName eq "x'],
    ['boolean compared with a string', 'active eq "maybe"'],
    ['gt on a boolean', 'active gt true'],
    ['date that is not a date', 'meta.lastModified gt "yesterday"'],
    ['too long', `userName eq "${'a'.repeat(5000)}"`],
  ])('%s is 400 invalidFilter', async (_label, filter) => {
    expectScimError(await c.get('/Users').query({ filter }), 400, 'invalidFilter');
  });
});

describe('group filters', () => {
  it("members[value eq …] and Entra's membership probe", async () => {
    const [a, b] = [await createUser(c), await createUser(c)];
    const g = await createGroup(c, [a.id]);
    const other = await createGroup(c, [b.id]);
    const byMember = await c.get('/Groups').query({ filter: `members[value eq "${a.id}"]` });
    expect(byMember.status).toBe(200);
    expect((byMember.body as ListBody).Resources.map((r) => r.id)).toEqual([g.id]);

    const probe = (member: string) => c.get('/Groups').query({ excludedAttributes: 'members', filter: `id eq "${g.id}" and members[value eq "${member}"]` });
    const yes = await probe(a.id);
    expect(yes.body).toMatchObject({ totalResults: 1, Resources: [{ id: g.id, displayName: g.displayName }] });
    expect((yes.body as ListBody).Resources[0].members).toBeUndefined();
    expect((await probe(b.id)).body).toMatchObject({ totalResults: 0, Resources: [] });

    const byName = await c.get('/Groups').query({ filter: `displayName eq "${other.displayName.toUpperCase()}"` });
    expect((byName.body as ListBody).Resources.map((r) => r.id)).toEqual([other.id]);
    expectScimError(await c.get('/Groups').query({ filter: 'userName eq "x"' }), 400, 'invalidFilter');
  });
});

describe('paging, sorting, projection', () => {
  const L = unique('page');
  const N = 25;
  let names: string[];
  beforeAll(async () => {
    await seedUsers(app, L, N);
    names = Array.from({ length: N }, (_, i) => `${L}-${String(i + 1).padStart(6, '0')}`);
  });
  const scoped = { filter: `userName sw "${L}"` };

  it('reports integer totalResults, startIndex and itemsPerPage', async () => {
    const res = await c.get(`/Users?filter=${encodeURIComponent(scoped.filter)}&startIndex=2&count=3`);
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/"totalResults":25,/);
    expect(res.body).toMatchObject({ schemas: [URN.list], totalResults: N, startIndex: 2, itemsPerPage: 3 });
    for (const k of ['totalResults', 'startIndex', 'itemsPerPage']) expect(Number.isInteger(res.body[k])).toBe(true);
  });

  it('count=0 answers the total and no resources', async () => {
    const body = await listUsers({ ...scoped, count: 0 });
    expect(body.totalResults).toBe(N);
    expect(body.itemsPerPage).toBe(0);
    expect(body.Resources ?? []).toEqual([]);
  });

  it.each([0, -5])('startIndex=%i behaves as 1', async (startIndex) => {
    const first = await listUsers({ ...scoped, startIndex: 1, count: 2 });
    const body = await listUsers({ ...scoped, startIndex, count: 2 });
    expect(body.startIndex).toBe(1);
    expect(body.Resources.map((r) => r.userName)).toEqual(first.Resources.map((r) => r.userName));
  });

  it.each([1000, 2 ** 31 - 1])('a startIndex past the end (%i) is an empty page with the total', async (startIndex) => {
    const body = await listUsers({ ...scoped, startIndex, count: 10 });
    expect(body).toMatchObject({ totalResults: N, startIndex, itemsPerPage: 0, Resources: [] });
  });

  it("a startIndex beyond GraphQL's 32-bit Int is an empty page too, not a 500", async () => {
    const body = await listUsers({ ...scoped, startIndex: '99999999999999999999' });
    expect(body).toMatchObject({ totalResults: N, itemsPerPage: 0, Resources: [] });
  });

  it('caps count at the advertised maxResults', async () => {
    const spc = await c.get('/ServiceProviderConfig');
    expect(spc.body.filter).toEqual({ supported: true, maxResults: 1000 });
    const body = await listUsers({ ...scoped, count: 5000 });
    expect(body.itemsPerPage).toBe(N);
    const all = await listUsers({ count: 5000 });
    expect(all.itemsPerPage).toBeLessThanOrEqual(1000);
    expect(all.itemsPerPage).toBe(Math.min(all.totalResults, 1000));
  });

  // The seeded users share one created_at: the order rests on the id tiebreak.
  it('walks 3 pages in a stable order: no duplicates, no gaps', async () => {
    const seen: string[] = [];
    for (const startIndex of [1, 11, 21]) {
      const body = await listUsers({ ...scoped, startIndex, count: 10 });
      expect(body.totalResults).toBe(N);
      seen.push(...body.Resources.map((r) => String(r.userName)));
    }
    expect(seen).toHaveLength(N);
    expect(new Set(seen).size).toBe(N);
    expect([...seen].sort()).toEqual(names);
  });

  it.each<[string, Record<string, string>, (n: string[]) => string[]]>([
    ['ascending (default order)', { sortBy: 'userName' }, (n) => n],
    ['ascending', { sortBy: 'userName', sortOrder: 'ascending' }, (n) => n],
    ['descending', { sortBy: 'userName', sortOrder: 'descending' }, (n) => [...n].reverse()],
    ['descending, names in another case', { sortBy: 'USERNAME', sortOrder: 'DESCENDING' }, (n) => [...n].reverse()],
  ])('sorts by userName %s', async (_label, sort, order) => {
    const body = await listUsers({ ...scoped, ...sort, count: 100 });
    expect(body.Resources.map((r) => r.userName)).toEqual(order(names));
  });

  it.each<[string, Record<string, string>]>([
    ['unknown sortBy', { sortBy: 'shoeSize' }],
    ['bad sortOrder', { sortBy: 'userName', sortOrder: 'sideways' }],
    ['non-numeric count', { count: 'ten' }],
    ['non-numeric startIndex', { startIndex: '1.5' }],
  ])('%s is a 400', async (_label, q) => {
    const res = await c.get('/Users').query({ ...scoped, ...q });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ schemas: [URN.error], status: '400' });
  });

  it('projects every listed resource; id and schemas always stay', async () => {
    const only = await listUsers({ ...scoped, attributes: 'userName', count: 3 });
    for (const r of only.Resources) expect(Object.keys(r).sort()).toEqual(['id', 'schemas', 'userName']);
    const without = await listUsers({ ...scoped, excludedAttributes: 'meta,active,id', count: 3 });
    for (const r of without.Resources) {
      expect(r.meta).toBeUndefined();
      expect(r.active).toBeUndefined();
      expect(r.id).toEqual(expect.any(String));
      expect(r.userName).toEqual(expect.any(String));
    }
  });

  it('POST /Users/.search takes the same parameters in the body', async () => {
    const res = await c.post('/Users/.search', {
      schemas: [URN.search],
      filter: scoped.filter,
      sortBy: 'userName',
      sortOrder: 'descending',
      startIndex: 2,
      count: 3,
      attributes: ['userName'],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ totalResults: N, startIndex: 2, itemsPerPage: 3 });
    expect((res.body as ListBody).Resources).toEqual(
      [...names]
        .reverse()
        .slice(1, 4)
        .map((userName) => ({ schemas: [URN.user], id: expect.any(String), userName })),
    );
    const excluded = await c.post('/Users/.search', { filter: scoped.filter, count: 1, excludedAttributes: ['meta'] });
    expect((excluded.body as ListBody).Resources[0].meta).toBeUndefined();
    expectScimError(await c.post('/Users/.search', { filter: 'bogus eq 1' }), 400, 'invalidFilter');
  });

  it('POST /Groups/.search and GET /Groups page groups alike', async () => {
    const G = unique('grp');
    for (let i = 1; i <= 3; i++) await createGroup(c, [], { displayName: `${G}-${i}` });
    const res = await c.post('/Groups/.search', { filter: `displayName sw "${G}"`, sortBy: 'displayName', sortOrder: 'descending', count: 2, attributes: ['displayName'] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ totalResults: 3, itemsPerPage: 2, startIndex: 1 });
    expect((res.body as ListBody).Resources.map((r) => r.displayName)).toEqual([`${G}-3`, `${G}-2`]);
    const page2 = await c.get('/Groups').query({ filter: `displayName sw "${G}"`, startIndex: 3, count: 2 });
    expect((page2.body as ListBody).Resources.map((r) => r.displayName)).toEqual([`${G}-3`]);
  });
});

describe('inactive users', () => {
  it('stay listable', async () => {
    const u = await createUser(c, { active: false });
    const body = await listUsers({ filter: `userName eq "${u.userName}"` });
    expect(body.Resources).toEqual([expect.objectContaining({ id: u.id, active: false })]);
  });
});
