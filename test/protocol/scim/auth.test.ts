import { SYSTEM } from '../../../src/auth/principal.js';
import { CredentialService } from '../../../src/domain/credentials/credential-service.js';
import { ScimTestApp, startScimApp } from './scim-app.js';
import { createGroup, createUser, expectScimError, scimClient, unique, userBody } from './scim-client.js';

/** SCIM tokens: revocation, the provisioning switch, rotation, and the IdP label on what they create. */
let app: ScimTestApp;
beforeAll(async () => {
  app = await startScimApp();
});
afterAll(() => app.close());

const credentials = () => new CredentialService(app.db.store());
/** A fresh IdP label with provisioning active, and its token. */
const newIdp = async () => {
  const idp = unique('idp').slice(0, 40);
  return { idp, ...(await credentials().activateProvisioning(SYSTEM, idp)) };
};

it('a revoked token is refused at once with a clear detail', async () => {
  const { credential, secret } = await newIdp();
  const c = scimClient(app, secret);
  expect((await c.get('/Users?count=1')).status).toBe(200);
  await credentials().revoke(SYSTEM, credential.id);
  const res = await c.get('/Users?count=1');
  expectScimError(res, 401);
  expect(res.body.detail).toMatch(/revoked/i);
  expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
});

it('deactivated provisioning refuses every SCIM call, naming the IdP, until reactivated', async () => {
  const { idp, secret } = await newIdp();
  const c = scimClient(app, secret);
  const u = await createUser(c);
  await credentials().deactivateProvisioning(SYSTEM, idp);
  for (const res of [await c.get('/Users'), await c.get(`/Users/${u.id}`), await c.post('/Users', userBody()), await c.get('/ServiceProviderConfig')]) {
    expectScimError(res, 401);
    expect(res.body.detail).toContain(idp);
    expect(res.body.detail).toMatch(/deactivated/i);
  }
  // The default token of another IdP is unaffected.
  expect((await scimClient(app).get('/Users?count=1')).status).toBe(200);
  // Reactivating lets the old token in again (deactivation suspends; it does not revoke).
  await credentials().activateProvisioning(SYSTEM, idp);
  expect((await c.get(`/Users/${u.id}`)).status).toBe(200);
});

it('rotating a token revokes the previous one', async () => {
  const { idp, secret } = await newIdp();
  const rotated = await credentials().rotateScimToken(SYSTEM, idp);
  expectScimError(await scimClient(app, secret).get('/Users'), 401);
  expect((await scimClient(app, rotated.secret).get('/Users?count=1')).status).toBe(200);
});

it("users and groups created over SCIM carry the token's IdP label as source (read over GraphQL)", async () => {
  const { idp, secret } = await newIdp();
  const c = scimClient(app, secret);
  const u = await createUser(c);
  const g = await createGroup(c, [u.id]);
  const admin = await credentials().createApiKey(SYSTEM, unique('admin'), 'ADMIN');
  const res = await app.http
    .post('/graphql')
    .set('Authorization', `Bearer ${admin.secret}`)
    .send({ query: 'query($u: ID!, $g: ID!) { user(id: $u) { source } group(id: $g) { source } }', variables: { u: u.id, g: g.id } });
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ data: { user: { source: idp }, group: { source: idp } } });
});
