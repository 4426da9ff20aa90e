import request from 'supertest';
import { SYSTEM } from '../../../src/auth/principal.js';
import { CredentialService } from '../../../src/domain/credentials/credential-service.js';
import { SamlConfigService } from '../../../src/domain/sso/saml-config-service.js';
import { createTestApp, OWNER_KEY, type TestApp } from '../../support/app.js';
import { IDP_KEYS, idpMetadataXml } from '../../support/saml-idp.js';

/**
 * The console's first set-up sign-in: an API key is exchanged once for the same kind of
 * server-side session SSO opens; the browser keeps only the session cookie.
 */
let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

const http = () => request(app.server);

async function openSession(key: string) {
  return http().post('/admin/api/session').set('content-type', 'application/json').send({ key });
}

function cookieOf(res: request.Response): string {
  const set = (res.headers['set-cookie'] as unknown as string[] | undefined) ?? [];
  return set.find((h) => h.startsWith('roster_session='))!.split(';')[0]!;
}

async function asCookie(cookie: string, query: string) {
  return (await http().post('/graphql').set('content-type', 'application/json').set('cookie', cookie).send({ query })).body as {
    data?: Record<string, unknown> | null;
    errors?: { extensions: { code: string } }[];
  };
}

test('an API key opens a session with its role; the cookie is not the key; the key is not needed again', async () => {
  const admin = await app.apiKey('ADMIN', 'console admin');
  const res = await openSession(admin);
  expect(res.status).toBe(200);
  expect(res.body.role).toBe('ADMIN');
  const cookie = cookieOf(res);
  expect(cookie).not.toContain(admin);
  expect(((res.headers['set-cookie'] as unknown as string[]) ?? []).join()).toMatch(/httponly/i);
  const viewer = await asCookie(cookie, '{ viewer { role user { id } } }');
  expect(viewer).toEqual({ data: { viewer: { role: 'ADMIN', user: null } } });
  const users = await asCookie(cookie, '{ users(first: 1) { totalCount } }');
  expect(users.errors).toBeUndefined();
  const events = await app.sql<{ action: string; actor_label: string }>("select action, actor_label from audit_events where action = 'console.sign_in'");
  expect(events).toEqual([{ action: 'console.sign_in', actor_label: 'console admin' }]);
});

test('a SCIM token, an unknown key and a malformed body are refused; nothing is opened', async () => {
  const scim = (await new CredentialService(app.db.store()).activateProvisioning(SYSTEM, 'okta')).secret;
  const before = (await app.sql('select id from sessions')).length;
  expect((await openSession(scim)).status).toBe(401);
  expect((await openSession('rk_not_a_key')).status).toBe(401);
  expect((await http().post('/admin/api/session').set('content-type', 'application/json').send({ nokey: 1 })).status).toBe(400);
  expect((await http().post('/admin/api/session').type('form').send({ key: OWNER_KEY })).status).toBe(400);
  expect((await app.sql('select id from sessions')).length).toBe(before);
});

test('revoking the key ends its console sessions at once; logout ends one', async () => {
  const reader = await app.apiKey('READER', 'revoked later');
  const cookie = cookieOf(await openSession(reader));
  expect((await asCookie(cookie, '{ viewer { role } }')).errors).toBeUndefined();
  const id = (await app.ok<{ credentials: { id: string; name: string }[] }>('{ credentials { id name } }')).credentials.find((c) => c.name === 'revoked later')!.id;
  await app.ok('mutation($id: ID!) { revokeCredential(id: $id) { id } }', { id });
  expect((await asCookie(cookie, '{ viewer { role } }')).errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
  expect(await app.sql('select end_reason from sessions where credential_id = ?', [id])).toEqual([{ end_reason: 'key_revoked' }]);

  const other = cookieOf(await openSession(OWNER_KEY));
  await http().post('/saml/sp/logout').set('cookie', other).expect(303);
  expect((await asCookie(other, '{ viewer { role } }')).errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
});

test('sign-in options list the configured IdPs, before anyone is signed in', async () => {
  expect((await http().get('/admin/api/sign-in-options').expect(200)).body).toEqual({ idps: [] });
  await new SamlConfigService(app.db.store()).configureFromMetadata(SYSTEM, 'okta', idpMetadataXml({ keys: [IDP_KEYS.a] }));
  expect((await http().get('/admin/api/sign-in-options').expect(200)).body).toEqual({ idps: [{ idp: 'okta', label: 'Okta', isDefault: false }] });
});

test('a console session reads SCIM resources exactly as an IdP would (GET only); writes still need a bearer token', async () => {
  const cookie = cookieOf(await openSession(OWNER_KEY));
  const created = await app.ok<{ createUser: { id: string } }>('mutation { createUser(input: { userName: "raw-json@example.com" }) { id } }');
  const got = await http().get(`/scim/v2/Users/${created.createUser.id}`).set('cookie', cookie).expect(200);
  expect(got.body).toMatchObject({ id: created.createUser.id, userName: 'raw-json@example.com', schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'] });
  const write = await http()
    .patch(`/scim/v2/Users/${created.createUser.id}`)
    .set('cookie', cookie)
    .set('content-type', 'application/scim+json')
    .send(JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'nickName', value: 'x' }] }));
  expect(write.status).toBe(401);
});

test('under an https PUBLIC_URL the session cookie is Secure', async () => {
  const secure = await createTestApp({ PUBLIC_URL: 'https://roster.example.com' });
  try {
    const res = await request(secure.server).post('/admin/api/session').set('content-type', 'application/json').send({ key: OWNER_KEY });
    expect(res.status).toBe(200);
    expect(((res.headers['set-cookie'] as unknown as string[]) ?? []).join()).toMatch(/roster_session=[^;]+;.*secure/i);
  } finally {
    await secure.close();
  }
});

test('sessions that ended more than 30 days ago are deleted as new ones open; recent history stays', async () => {
  const cookie = cookieOf(await openSession(OWNER_KEY));
  await http().post('/saml/sp/logout').set('cookie', cookie).expect(303);
  await app.sql("update sessions set ended_at = now() - interval '31 days' where ended_at is not null and end_reason = 'logout'");
  const old = (await app.sql<{ id: string }>("select id from sessions where ended_at < now() - interval '30 days'")).map((r) => r.id);
  expect(old.length).toBeGreaterThan(0);
  const recent = cookieOf(await openSession(OWNER_KEY));
  await http().post('/saml/sp/logout').set('cookie', recent).expect(303);
  cookieOf(await openSession(OWNER_KEY));
  const left = (await app.sql<{ id: string }>('select id from sessions')).map((r) => r.id);
  expect(old.filter((id) => left.includes(id))).toEqual([]);
  expect((await app.sql("select id from sessions where end_reason = 'logout'")).length).toBeGreaterThan(0);
});
