import { PUBLIC_URL, ScimTestApp, startScimApp } from './scim-app.js';
import { expectScimError, Json, ListBody, scimClient, ScimClient, URN } from './scim-client.js';

/** /ServiceProviderConfig, /ResourceTypes and /Schemas (RFC 7644 §4), each by id. */
let app: ScimTestApp;
let c: ScimClient;
beforeAll(async () => {
  app = await startScimApp('okta');
  c = scimClient(app);
});
afterAll(() => app.close());

const BASE = `${PUBLIC_URL}/scim/v2`;
const CHARACTERISTICS = ['name', 'type', 'multiValued', 'required', 'caseExact', 'mutability', 'returned', 'uniqueness'];

/** Every attribute definition, sub-attributes included. */
function definitions(attrs: Json[]): Json[] {
  return attrs.flatMap((a) => [a, ...definitions((a.subAttributes as Json[] | undefined) ?? [])]);
}

describe('/ServiceProviderConfig', () => {
  it('advertises what Roster supports', async () => {
    const res = await c.get('/ServiceProviderConfig');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
    expect(res.body).toMatchObject({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
      patch: { supported: true },
      bulk: { supported: false },
      filter: { supported: true, maxResults: 1000 },
      sort: { supported: true },
      etag: { supported: true },
      changePassword: { supported: true },
      authenticationSchemes: [expect.objectContaining({ type: 'oauthbearertoken' })],
      meta: { resourceType: 'ServiceProviderConfig', location: `${BASE}/ServiceProviderConfig` },
    });
  });
});

describe('/ResourceTypes', () => {
  it('lists User and Group with their schemas and extensions', async () => {
    const res = await c.get('/ResourceTypes');
    expect(res.status).toBe(200);
    const body = res.body as ListBody;
    expect(body).toMatchObject({ schemas: [URN.list], totalResults: 2, itemsPerPage: 2, startIndex: 1 });
    expect(body.Resources.map((r) => r.id)).toEqual(['User', 'Group']);
    expect(body.Resources[0]).toMatchObject({
      endpoint: '/Users',
      schema: URN.user,
      schemaExtensions: [
        { schema: URN.enterprise, required: false },
        { schema: URN.product, required: false },
      ],
      meta: { resourceType: 'ResourceType', location: `${BASE}/ResourceTypes/User` },
    });
    expect(body.Resources[1]).toMatchObject({ endpoint: '/Groups', schema: URN.group, schemaExtensions: [] });
  });

  it.each(['User', 'Group', 'user'])('GET /ResourceTypes/%s', async (id) => {
    const res = await c.get(`/ResourceTypes/${id}`);
    expect(res.status).toBe(200);
    expect(String(res.body.id).toLowerCase()).toBe(id.toLowerCase());
  });
});

describe('/Schemas', () => {
  it('lists all four schemas, every attribute with all of its characteristics', async () => {
    const res = await c.get('/Schemas');
    expect(res.status).toBe(200);
    const body = res.body as ListBody;
    expect(body.Resources.map((s) => s.id)).toEqual([URN.user, URN.group, URN.enterprise, URN.product]);
    expect(body.totalResults).toBe(4);
    for (const schema of body.Resources) {
      expect(schema.meta).toEqual({ resourceType: 'Schema', location: `${BASE}/Schemas/${schema.id as string}` });
      for (const def of definitions(schema.attributes as Json[])) {
        for (const k of CHARACTERISTICS) if (k !== 'uniqueness' || def.type !== 'complex') expect(def).toHaveProperty([k]);
      }
    }
    const product = body.Resources.find((s) => s.id === URN.product)!;
    expect((product.attributes as Json[]).map((a) => a.name).sort()).toEqual(['macAddress', 'staticIp']);
    const user = body.Resources.find((s) => s.id === URN.user)!;
    expect((user.attributes as Json[]).find((a) => a.name === 'password')).toMatchObject({ returned: 'never', mutability: 'writeOnly' });
    expect((user.attributes as Json[]).find((a) => a.name === 'userName')).toMatchObject({ required: true, uniqueness: 'server', caseExact: false });
  });

  it.each([URN.user, URN.group, URN.enterprise, URN.product])('GET /Schemas/%s', async (id) => {
    const res = await c.get(`/Schemas/${id}`);
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(id);
    expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
  });
});

describe('unknown ids and methods', () => {
  it.each(['/Schemas/urn:example:nope', '/Schemas/User', '/ResourceTypes/Device', '/Schemas/urn:ietf:params:scim:schemas:core:2.0:Users'])('GET %s is 404', async (path) => {
    expectScimError(await c.get(path), 404);
  });

  it.each<['post' | 'put' | 'patch' | 'delete', string]>([
    ['delete', '/ServiceProviderConfig'],
    ['post', '/ServiceProviderConfig'],
    ['put', '/Schemas'],
    ['delete', '/ResourceTypes/User'],
  ])('%s %s is 405', async (method, path) => {
    const res = await c.call(method, path);
    expectScimError(res, 405);
    expect(res.headers.allow).toMatch(/GET/);
  });
});
