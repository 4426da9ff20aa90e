import { ScimTestApp, startScimApp } from './scim-app.js';
import { createGroup, createUser, expectScimError, Json, ListBody, scimClient, ScimClient, unique, URN } from './scim-client.js';

/** POST /.search at the root (RFC 7644 §3.4.3): one filter over Users and Groups, paged as one list. */
let app: ScimTestApp;
let c: ScimClient;
const R = unique('root');
const users: string[] = [];
const groups: string[] = [];
beforeAll(async () => {
  app = await startScimApp();
  c = scimClient(app);
  for (const n of [1, 2, 3]) users.push((await createUser(c, { userName: `${R}-u${n}`, ...(n === 3 ? { displayName: `${R}-display` } : {}) })).id);
  for (const n of [1, 2]) groups.push((await createGroup(c, [], { displayName: `${R}-g${n}` })).id);
});
afterAll(() => app.close());

const either = `userName sw "${R}" or displayName sw "${R}"`;

async function search(body: Json): Promise<ListBody> {
  const res = await c.post('/.search', { schemas: [URN.search], ...body });
  if (res.status !== 200) throw new Error(`POST /.search answered ${res.status}: ${res.text}`);
  expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
  return res.body as ListBody;
}
const ids = (b: ListBody) => b.Resources.map((r) => r.id);

describe('POST /.search', () => {
  it('applies the filter to both types: Users first, then Groups', async () => {
    const body = await search({ filter: either });
    expect(body).toMatchObject({ schemas: [URN.list], totalResults: 5, startIndex: 1, itemsPerPage: 5 });
    expect(ids(body)).toEqual([...users, ...groups]);
    expect(body.Resources.map((r) => (r.meta as Json).resourceType)).toEqual(['User', 'User', 'User', 'Group', 'Group']);
  });

  it('pages over the combined list', async () => {
    const seen: unknown[] = [];
    for (const startIndex of [1, 3, 5]) {
      const page = await search({ filter: either, startIndex, count: 2 });
      expect(page.totalResults).toBe(5);
      expect(page.startIndex).toBe(startIndex);
      seen.push(...ids(page));
    }
    expect(seen).toEqual([...users, ...groups]);
    const straddling = await search({ filter: either, startIndex: 3, count: 2 });
    expect(ids(straddling)).toEqual([users[2], groups[0]]);
    const past = await search({ filter: either, startIndex: 9, count: 2 });
    expect(past).toMatchObject({ totalResults: 5, itemsPerPage: 0, Resources: [] });
  });

  it('count=0 answers the combined total', async () => {
    const body = await search({ filter: either, count: 0 });
    expect(body.totalResults).toBe(5);
    expect(body.Resources ?? []).toEqual([]);
  });

  it('an attribute a type lacks has no value there: presence is false, so not() of it is true', async () => {
    // Groups have no userName: `not (userName pr)` holds for every group, and for no user.
    const body = await search({ filter: `displayName sw "${R}" and not (userName pr)` });
    expect(ids(body)).toEqual(groups);
    const onlyUsers = await search({ filter: `userName sw "${R}"` });
    expect(ids(onlyUsers)).toEqual(users);
    const both = await search({ filter: `displayName sw "${R}"` });
    expect(ids(both)).toEqual([users[2], ...groups]);
  });

  it('without a filter lists every user and group', async () => {
    const u = (await c.get('/Users?count=0')).body as ListBody;
    const g = (await c.get('/Groups?count=0')).body as ListBody;
    expect((await search({ count: 0 })).totalResults).toBe(u.totalResults + g.totalResults);
  });

  it('projects each resource by its own schema', async () => {
    const body = await search({ filter: either, attributes: ['displayName'] });
    expect(body.Resources.map((r) => Object.keys(r).sort())).toEqual([
      ['id', 'schemas'],
      ['id', 'schemas'],
      ['displayName', 'id', 'schemas'],
      ['displayName', 'id', 'schemas'],
      ['displayName', 'id', 'schemas'],
    ]);
    const lean = await search({ filter: either, excludedAttributes: ['members', 'groups', 'meta'] });
    expect(lean.Resources.every((r) => r.meta === undefined && r.members === undefined)).toBe(true);
  });

  it.each<[string, Json, string]>([
    ['an attribute no type defines', { filter: 'shoeSize eq "9"' }, 'invalidFilter'],
    ['bad syntax', { filter: 'userName eq' }, 'invalidFilter'],
    ['a filter that is not a string', { filter: 42 }, 'invalidFilter'],
    ['sortBy across types', { filter: either, sortBy: 'displayName' }, 'invalidValue'],
    ['a count that is not a number', { count: 'many' }, 'invalidValue'],
  ])('%s is a 400', async (_label, body, scimType) => {
    expectScimError(await c.post('/.search', body), 400, scimType);
  });

  it('GET /.search is not a route: 405', async () => {
    expectScimError(await c.get('/.search'), 405);
  });
});
