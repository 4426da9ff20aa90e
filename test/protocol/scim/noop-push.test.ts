import { querySql } from '../../support/sql.js';
import { startScimApp, type ScimTestApp } from './scim-app.js';
import { scimClient, URN } from './scim-client.js';

/**
 * Okta pushes the whole profile again and again: a PUT that changes nothing must leave the version,
 * lastModified and the audit trail alone, however the IdP orders the keys of the objects it sends.
 * And an audit event of a create names the attributes that were given, not every one that exists.
 */
let app: ScimTestApp;
beforeAll(async () => {
  app = await startScimApp('okta');
});
afterAll(() => app.close());

const audits = async (id: string) =>
  (await querySql<{ action: string; changed: string[] }>(app.db, 'select action, changed from audit_events where resource_id = ? order by at, id', [id])).map((r) => [r.action, r.changed]);

test('a repeated PUT with the same values in another key order is a no-op', async () => {
  const c = scimClient(app);
  const body = {
    schemas: [URN.user, URN.enterprise],
    userName: 'same@example.com',
    name: { givenName: 'Same', familyName: 'Person' },
    emails: [{ value: 'same@example.com', type: 'work', primary: true }],
    addresses: [{ streetAddress: '1 Main St', locality: 'Town', type: 'work' }],
    [URN.enterprise]: { department: 'R&D' },
  };
  const created = await c.post('/Users', body).expect(201);
  const id = created.body.id as string;
  const reordered = {
    [URN.enterprise]: { department: 'R&D' },
    addresses: [{ type: 'work', locality: 'Town', streetAddress: '1 Main St' }],
    emails: [{ primary: true, type: 'work', value: 'same@example.com' }],
    name: { familyName: 'Person', givenName: 'Same' },
    userName: 'same@example.com',
    schemas: [URN.user, URN.enterprise],
  };
  const put = await c.put(`/Users/${id}`, reordered).expect(200);
  expect(put.body.meta.version).toBe(created.body.meta.version);
  expect(put.body.meta.lastModified).toBe(created.body.meta.lastModified);
  expect(await audits(id)).toEqual([['user.create', expect.any(Array)]]);
});

test("a create's audit event names the attributes given, and only those", async () => {
  const created = await scimClient(app)
    .post('/Users', { schemas: [URN.user], userName: 'few@example.com', displayName: 'Few', emails: [{ value: 'few@example.com' }] })
    .expect(201);
  const [[, changed]] = (await audits(created.body.id as string)) as [string, string[]][];
  expect([...changed].sort()).toEqual(['displayName', 'emails', 'userName']);
});
