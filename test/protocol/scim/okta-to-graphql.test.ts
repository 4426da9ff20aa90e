import { SYSTEM } from '../../../src/auth/principal.js';
import { CredentialService } from '../../../src/domain/credentials/credential-service.js';
import { startScimApp, ScimTestApp } from './scim-app.js';
import { URN } from './scim-client.js';

/**
 * What the Okta admin checks at the end of the guide: the users and groups Okta pushed over SCIM,
 * with the mapped extra attributes, seen through GraphQL by an admin.
 */
let app: ScimTestApp;
let adminKey: string;
beforeAll(async () => {
  app = await startScimApp('okta');
  adminKey = (await new CredentialService(app.db.store()).createApiKey(SYSTEM, 'admin', 'ADMIN')).secret;
});
afterAll(() => app.close());

const scim = (method: 'post' | 'put', path: string, body: unknown) =>
  app.http[method](`/scim/v2${path}`).set('Authorization', `Bearer ${app.token}`).set('Content-Type', 'application/scim+json').send(JSON.stringify(body));

test('Okta pushes a user with mapped attributes and a group; GraphQL shows exactly that', async () => {
  const created = await scim('post', '/Users', {
    schemas: [URN.user, URN.product],
    userName: 'jane.doe@example.com',
    name: { givenName: 'Jane', familyName: 'Doe' },
    emails: [{ primary: true, value: 'jane.doe@example.com', type: 'work' }],
    externalId: '00u1abcd',
    password: 'Placeholder-2f9!kQ',
    active: true,
    [URN.product]: { staticIp: '10.20.30.40', macAddress: '3C:22:FB:12:34:56' },
  }).expect(201);
  const id = created.body.id as string;
  await scim('put', `/Users/${id}`, {
    schemas: [URN.user, URN.product],
    id,
    userName: 'jane.doe@example.com',
    name: { givenName: 'Jane', familyName: 'Doe' },
    emails: [
      { primary: true, value: 'jane.doe@example.com', type: 'work' },
      { value: 'jane@home.example', type: 'other' },
    ],
    phoneNumbers: [{ value: '+1 555 0100', type: 'mobile' }],
    addresses: [{ primary: true, type: 'work', formatted: '1 Market St, San Francisco' }],
    externalId: '00u1abcd',
    active: true,
    [URN.product]: { staticIp: '10.20.30.41', macAddress: '3C:22:FB:12:34:57' },
  }).expect(200);
  const group = await scim('post', '/Groups', { schemas: [URN.group], displayName: 'Engineering', members: [] }).expect(201);
  await scim('put', `/Groups/${group.body.id as string}`, { schemas: [URN.group], displayName: 'Engineering', members: [{ value: id }] }).expect(200);

  const res = await app.http
    .post('/graphql')
    .set('Authorization', `Bearer ${adminKey}`)
    .set('Content-Type', 'application/json')
    .send({
      query: `{ users { totalCount nodes { userName source email secondEmail mobilePhone postalAddress staticIp macAddress hasPassword groups { displayName source } } }
                groups { totalCount nodes { displayName memberCount members { nodes { display type } } } } }`,
    })
    .expect(200);
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data.users).toEqual({
    totalCount: 1,
    nodes: [
      {
        userName: 'jane.doe@example.com',
        source: 'okta',
        email: 'jane.doe@example.com',
        secondEmail: 'jane@home.example',
        mobilePhone: '+1 555 0100',
        postalAddress: '1 Market St, San Francisco',
        staticIp: '10.20.30.41',
        macAddress: '3C:22:FB:12:34:57',
        hasPassword: true,
        groups: [{ displayName: 'Engineering', source: 'okta' }],
      },
    ],
  });
  expect(res.body.data.groups).toEqual({
    totalCount: 1,
    nodes: [{ displayName: 'Engineering', memberCount: 1, members: { nodes: [{ display: 'jane.doe@example.com', type: 'User' }] } }],
  });
});
