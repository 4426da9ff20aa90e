import http from 'node:http';
import request from 'supertest';
import { createApp } from '../../../src/app.js';
import { SYSTEM } from '../../../src/auth/principal.js';
import { CredentialService } from '../../../src/domain/credentials/credential-service.js';
import { SamlConfigService } from '../../../src/domain/sso/saml-config-service.js';
import { createLogger } from '../../../src/http/logger.js';
import { createTestApp, unique, type TestApp } from '../../support/app.js';
import { IDP_KEYS, idpMetadataXml, readRedirectRequest, samlResponse, samlResponseXml, encodeSamlResponse, TEST_IDP, testSp, newSamlId } from '../../support/saml-idp.js';

/**
 * Single sign-on through Roster's SAML SP (DESIGN §9), end to end over HTTP with a real signing
 * test IdP: the login binds to the SCIM-provisioned directory, and provisioning decides who may
 * sign in (a deactivation ends a live session at once).
 */
let app: TestApp;
let scimToken: string;
const SP = testSp();

beforeAll(async () => {
  app = await createTestApp();
  scimToken = (await new CredentialService(app.db.store()).activateProvisioning(SYSTEM, 'okta')).secret;
  await new SamlConfigService(app.db.store()).configureFromMetadata(SYSTEM, 'okta', idpMetadataXml({ keys: [IDP_KEYS.a, IDP_KEYS.b] }));
});
afterAll(() => app.close());

const http1 = () => request(app.server);

/** Okta pushes a user over SCIM, as provisioning does before anyone signs in. */
async function provision(userName: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await http1()
    .post('/scim/v2/Users')
    .set('authorization', `Bearer ${scimToken}`)
    .set('content-type', 'application/scim+json')
    .send(
      JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName, name: { givenName: 'Scim', familyName: 'Given' }, emails: [{ value: userName, primary: true }], ...extra }),
    );
  expect(res.status).toBe(201);
  return res.body.id as string;
}

const attrs = (loginId: string) => ({ firstName: 'Assertion', lastName: 'Name', email: loginId, loginId });

function postAcs(form: Record<string, string>, path = '/saml/sp/acs') {
  return http1().post(path).type('form').send(form);
}

/** The session cookie a response set, as `name=value`. */
function sessionCookie(res: request.Response): string | undefined {
  const set = (res.headers['set-cookie'] as unknown as string[] | undefined) ?? [];
  const c = set.find((h) => h.startsWith('roster_session=') && !h.startsWith('roster_session=;'));
  return c?.split(';')[0];
}

async function viewer(cookie: string) {
  const res = await http1().post('/graphql').set('content-type', 'application/json').set('cookie', cookie).send({ query: '{ viewer { role idp user { id userName name { givenName } } } }' });
  return res.body as {
    data?: { viewer: { role: string; idp: string | null; user: { id: string; userName: string; name: { givenName: string | null } | null } | null } } | null;
    errors?: { extensions: { code: string } }[];
  };
}

async function refusals(): Promise<string[]> {
  return (await app.sql<{ reason: string }>("select changed[1] as reason from audit_events where action = 'sso.login.refused' order by at, id")).map((r) => r.reason);
}

/** A signed-in browser, IdP-initiated. */
async function signIn(loginId: string, opts: Parameters<typeof samlResponse>[0] = {}): Promise<string> {
  const res = await postAcs({ SAMLResponse: samlResponse({ attributes: attrs(loginId), nameId: loginId, ...opts }) });
  expect({ status: res.status, text: res.status === 303 ? '' : res.text }).toEqual({ status: 303, text: '' });
  return sessionCookie(res)!;
}

describe('SP metadata and login start', () => {
  test('metadata names the entity ID and the HTTP-POST ACS at the public URL', async () => {
    const res = await http1().get('/saml/sp/metadata').expect(200);
    expect(res.headers['content-type']).toMatch(/samlmetadata\+xml/);
    expect(res.text).toContain(`entityID="${SP.entityId}"`);
    expect(res.text).toContain(`Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${SP.acsUrl}"`);
  });

  test('login redirects to the IdP with an AuthnRequest for this SP; an unknown ?idp= is a 404 page', async () => {
    const res = await http1().get('/saml/sp/login?returnTo=/admin/users').expect(302);
    expect(res.headers.location).toMatch(new RegExp(`^${TEST_IDP.ssoUrl.replace(/[.?]/g, '\\$&')}\\?SAMLRequest=`));
    const req = readRedirectRequest(res.headers.location as string);
    expect(req.xml).toContain(`AssertionConsumerServiceURL="${SP.acsUrl}"`);
    expect(req.xml).toContain(SP.entityId);
    const missing = await http1().get('/saml/sp/login?idp=nope').expect(404);
    expect(missing.text).toContain('not set up');
  });
});

describe('a valid login', () => {
  test('SP-initiated: the four attributes find the provisioned user, a session opens, and the browser returns where it started', async () => {
    const userId = await provision('ada.sp@example.com');
    const start = await http1().get('/saml/sp/login?returnTo=/admin/users%3Fq%3Dada').expect(302);
    const { id } = readRedirectRequest(start.headers.location as string);
    const res = await postAcs({ SAMLResponse: samlResponse({ inResponseTo: id, attributes: attrs('ADA.SP@example.com'), nameId: 'ada.sp@example.com' }) });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/users?q=ada');
    const setCookie = ((res.headers['set-cookie'] as unknown as string[]) ?? []).join('\n');
    expect(setCookie).toMatch(/roster_session=[A-Za-z0-9_-]{43};.*httponly/i);
    expect(setCookie).toMatch(/samesite=lax/i);
    expect(setCookie).not.toMatch(/secure/i);
    const v = await viewer(sessionCookie(res)!);
    expect(v.data?.viewer).toEqual({ role: 'USER', idp: 'okta', user: { id: userId, userName: 'ada.sp@example.com', name: { givenName: 'Scim' } } });
    // the cookie holds a secret the database never stores
    const stored = await app.sql<{ secret_hash: string }>('select secret_hash from sessions where user_id = ?', [userId]);
    expect(stored).toHaveLength(1);
    expect(sessionCookie(res)).not.toContain(stored[0]!.secret_hash);
    const events = await app.sql<{ action: string; actor_label: string }>("select action, actor_label from audit_events where resource_id = ? and action like 'sso.%'", [userId]);
    expect(events).toEqual([{ action: 'sso.login', actor_label: 'ada.sp@example.com via sso (okta)' }]);
  });

  test('IdP-initiated with a RelayState path; SAML attributes never overwrite what SCIM wrote', async () => {
    const userId = await provision('ada.idp@example.com');
    const res = await postAcs({ SAMLResponse: samlResponse({ attributes: { ...attrs('ada.idp@example.com'), firstName: 'Overwritten?' } }), RelayState: '/admin/groups' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/groups');
    const user = await app.ok<{ user: { name: { givenName: string } } }>('query($id: ID!) { user(id: $id) { name { givenName } } }', { id: userId });
    expect(user.user.name.givenName).toBe('Scim');
  });

  test('certificate rotation: Responses signed by either configured certificate are accepted', async () => {
    await provision('rotate@example.com');
    for (const key of [IDP_KEYS.a, IDP_KEYS.b]) expect((await viewer(await signIn('rotate@example.com', { key }))).data?.viewer.role).toBe('USER');
  });

  test('returnTo that leaves the origin goes to / instead', async () => {
    await provision('redirect@example.com');
    for (const evil of ['https://evil.example/x', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)']) {
      const start = await http1()
        .get(`/saml/sp/login?returnTo=${encodeURIComponent(evil)}`)
        .expect(302);
      const { id } = readRedirectRequest(start.headers.location as string);
      const res = await postAcs({ SAMLResponse: samlResponse({ inResponseTo: id, attributes: attrs('redirect@example.com') }) });
      expect({ evil, location: res.headers.location }).toEqual({ evil, location: '/' });
    }
    const idp = await postAcs({ SAMLResponse: samlResponse({ attributes: attrs('redirect@example.com') }), RelayState: 'https://evil.example/' });
    expect(idp.headers.location).toBe('/');
  });
});

describe('refused logins: a generic 401 page with a reference; the reason in the audit trail; no session', () => {
  const user = 'refused@example.com';
  beforeAll(() => provision(user));

  const cases: [string, string, () => string | Promise<string>][] = [
    [
      'signature',
      'signature',
      () => encodeSamlResponse(samlResponseXml({ attributes: attrs(user) }).replace('>refused@example.com</saml2:AttributeValue>', '>admin@example.com</saml2:AttributeValue>')),
    ],
    ['audience', 'audience', () => samlResponse({ attributes: attrs(user), audience: 'https://other.example/sp' })],
    ['expired', 'expired', () => samlResponse({ attributes: attrs(user), now: new Date(Date.now() - 60 * 60 * 1000) })],
    ['unsigned', 'signature', () => samlResponse({ attributes: attrs(user), sign: 'none' })],
    ['another key', 'signature', () => samlResponse({ attributes: attrs(user), key: IDP_KEYS.attacker })],
    ['issuer', 'issuer', () => samlResponse({ attributes: attrs(user), issuer: 'http://www.okta.com/exk-someone-else' })],
    ['recipient', 'recipient', () => samlResponse({ attributes: attrs(user), recipient: 'https://evil.example/acs' })],
    ['unknown InResponseTo', 'in_response_to_unknown', () => samlResponse({ attributes: attrs(user), inResponseTo: newSamlId() })],
    ['encrypted', 'encrypted', () => samlResponse({ attributes: attrs(user), encryptedAssertion: true })],
    [
      'wrapped: an unsigned assertion before the signed one',
      'signature',
      () => {
        const signed = samlResponseXml({ attributes: attrs(user) });
        const evil = samlResponseXml({ attributes: attrs('admin@example.com'), sign: 'none' });
        const evilAssertion = /<saml2:Assertion[\s\S]*<\/saml2:Assertion>/.exec(evil)![0];
        return encodeSamlResponse(signed.replace('<saml2:Assertion', `${evilAssertion}<saml2:Assertion`));
      },
    ],
  ];

  test.each(cases)('%s: %s', async (_label, reason, make) => {
    const before = (await refusals()).length;
    const sessionsBefore = (await app.sql('select id from sessions')).length;
    const res = await postAcs({ SAMLResponse: await make() });
    expect(res.status).toBe(401);
    expect(res.text).toContain('Sign-in refused');
    const ref = /Reference: <code>([^<]+)<\/code>/.exec(res.text)?.[1];
    expect(ref).toBeTruthy();
    expect(sessionCookie(res)).toBeUndefined();
    expect((await app.sql('select id from sessions')).length).toBe(sessionsBefore);
    const after = await refusals();
    expect(after.length).toBe(before + 1);
    expect(after.at(-1)).toBe(reason);
    const row = await app.sql<{ request_id: string }>("select request_id from audit_events where action = 'sso.login.refused' order by at desc, id desc limit 1");
    expect(row[0]!.request_id).toBe(ref);
  });

  test('a replayed assertion is refused the second time', async () => {
    const response = samlResponse({ attributes: attrs(user) });
    expect((await postAcs({ SAMLResponse: response })).status).toBe(303);
    expect((await postAcs({ SAMLResponse: response })).status).toBe(401);
    expect((await refusals()).at(-1)).toBe('replay');
  });

  test('a request id answers once: a second Response to the same AuthnRequest is refused', async () => {
    const start = await http1().get('/saml/sp/login').expect(302);
    const { id } = readRedirectRequest(start.headers.location as string);
    expect((await postAcs({ SAMLResponse: samlResponse({ inResponseTo: id, attributes: attrs(user) }) })).status).toBe(303);
    expect((await postAcs({ SAMLResponse: samlResponse({ inResponseTo: id, attributes: attrs(user) }) })).status).toBe(401);
  });

  test('the InResponseTo-strip downgrade (unsigned Response, signed assertion answering a request) is refused', async () => {
    const start = await http1().get('/saml/sp/login').expect(302);
    const { id } = readRedirectRequest(start.headers.location as string);
    expect((await postAcs({ SAMLResponse: samlResponse({ inResponseTo: id, responseInResponseTo: null, attributes: attrs(user) }) })).status).toBe(401);
    expect((await refusals()).at(-1)).toBe('downgrade');
  });

  test('a DOCTYPE is refused before parsing; an oversized form is 413; a form without SAMLResponse is 400', async () => {
    const xml = samlResponseXml({ attributes: attrs(user) });
    expect((await postAcs({ SAMLResponse: encodeSamlResponse(`<!DOCTYPE r [<!ENTITY x "y">]>${xml}`) })).status).toBe(401);
    expect((await refusals()).at(-1)).toBe('doctype');
    expect((await postAcs({ SAMLResponse: 'A'.repeat(600 * 1024) })).status).toBe(413);
    expect((await postAcs({ RelayState: '/' })).status).toBe(400);
    expect((await http1().post('/saml/sp/acs').set('content-type', 'application/json').send('{}')).status).toBe(400);
  });
});

describe('sign-in is bound to the directory', () => {
  test('an unknown user and a deactivated user get 403, audited; SAML creates no user', async () => {
    const unknown = await postAcs({ SAMLResponse: samlResponse({ attributes: attrs('nobody@example.com'), nameId: 'nobody@example.com' }) });
    expect(unknown.status).toBe(403);
    expect((await refusals()).at(-1)).toBe('unknown_user');
    expect(await app.sql("select id from users where user_name = 'nobody@example.com'")).toEqual([]);

    await provision('inactive@example.com', { active: false });
    expect((await postAcs({ SAMLResponse: samlResponse({ attributes: attrs('inactive@example.com') }) })).status).toBe(403);
    expect((await refusals()).at(-1)).toBe('inactive_user');
  });

  test('deactivation over SCIM ends a live session at once, on every instance', async () => {
    const userId = await provision('leaver@example.com');
    const cookie = await signIn('leaver@example.com');
    // a second instance on the same database
    const other = await createApp({ config: app.config, db: app.db, logger: createLogger('silent') });
    const server = http.createServer(other.app.callback());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const viewerOn = async (s: http.Server) =>
        (await request(s).post('/graphql').set('content-type', 'application/json').set('cookie', cookie).send({ query: '{ viewer { role } }' })).body as {
          errors?: { extensions: { code: string } }[];
        };
      expect((await viewerOn(server)).errors).toBeUndefined();
      await http1()
        .patch(`/scim/v2/Users/${userId}`)
        .set('authorization', `Bearer ${scimToken}`)
        .set('content-type', 'application/scim+json')
        .send(JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', value: { active: false } }] }))
        .expect(204);
      expect((await viewerOn(server)).errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
      expect((await viewer(cookie)).errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
      expect(await app.sql('select end_reason from sessions where user_id = ?', [userId])).toEqual([{ end_reason: 'user_deactivated' }]);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
      await other.close();
    }
  });

  test('deactivation through GraphQL ends the session too', async () => {
    const userId = await provision('gql-deactivated@example.com');
    const cookie = await signIn('gql-deactivated@example.com');
    await app.ok('mutation($id: ID!) { deactivateUser(id: $id, force: true) { id } }', { id: userId });
    expect((await viewer(cookie)).errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
  });

  test('deleting the user ends the session too', async () => {
    const userId = await provision('deleted@example.com');
    const cookie = await signIn('deleted@example.com');
    await http1().delete(`/scim/v2/Users/${userId}`).set('authorization', `Bearer ${scimToken}`).expect(204);
    expect((await viewer(cookie)).errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
  });

  test('a login started on one instance completes on another (request ids live in the database)', async () => {
    await provision('two-instances@example.com');
    const other = await createApp({ config: app.config, db: app.db, logger: createLogger('silent') });
    const server = http.createServer(other.app.callback());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const start = await request(server).get('/saml/sp/login?returnTo=/x').expect(302);
      const { id } = readRedirectRequest(start.headers.location as string);
      const res = await postAcs({ SAMLResponse: samlResponse({ inResponseTo: id, attributes: attrs('two-instances@example.com') }) });
      expect({ status: res.status, location: res.headers.location }).toEqual({ status: 303, location: '/x' });
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
      await other.close();
    }
  });

  test('just-in-time creation only where the IdP allows it, from the assertion', async () => {
    const config = new SamlConfigService(app.db.store());
    await config.setOptions(SYSTEM, 'okta', { jitProvisioning: true });
    try {
      const res = await postAcs({ SAMLResponse: samlResponse({ attributes: attrs('jit@example.com') }) });
      expect(res.status).toBe(303);
      expect(await app.sql("select name_given_name, source from users where user_name = 'jit@example.com'")).toEqual([{ name_given_name: 'Assertion', source: 'okta' }]);
    } finally {
      await config.setOptions(SYSTEM, 'okta', { jitProvisioning: false });
    }
  });

  test('email matches only where configured', async () => {
    await provision(unique('mail-only'), { emails: [{ value: 'mail.only@example.com', primary: true }] });
    expect((await postAcs({ SAMLResponse: samlResponse({ attributes: { email: 'mail.only@example.com' }, nameId: 'someone-else' }) })).status).toBe(403);
    const config = new SamlConfigService(app.db.store());
    await config.setOptions(SYSTEM, 'okta', { matchEmail: true });
    try {
      expect((await postAcs({ SAMLResponse: samlResponse({ attributes: { email: 'MAIL.ONLY@example.com' }, nameId: 'someone-else' }) })).status).toBe(303);
    } finally {
      await config.setOptions(SYSTEM, 'okta', { matchEmail: false });
    }
  });
});

describe('sessions', () => {
  test('a group pushed by SCIM maps to a role; USER may read only viewer', async () => {
    const adminId = await provision('boss@example.com');
    const plainCookie = await signIn(await provision('plain@example.com').then(() => 'plain@example.com'));
    await http1()
      .post('/scim/v2/Groups')
      .set('authorization', `Bearer ${scimToken}`)
      .set('content-type', 'application/scim+json')
      .send(JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Roster Admins', members: [{ value: adminId }] }))
      .expect(201);
    await new SamlConfigService(app.db.store()).setOptions(SYSTEM, 'okta', { roleMappings: [{ group: 'roster admins', role: 'ADMIN' }] });
    const cookie = await signIn('boss@example.com');
    expect((await viewer(cookie)).data?.viewer.role).toBe('ADMIN');
    const asAdmin = await http1().post('/graphql').set('content-type', 'application/json').set('cookie', cookie).send({ query: '{ users(first: 1) { totalCount } }' });
    expect(asAdmin.body.errors).toBeUndefined();
    const asUser = await http1().post('/graphql').set('content-type', 'application/json').set('cookie', plainCookie).send({ query: '{ users(first: 1) { totalCount } }' });
    expect(asUser.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  test("cookie-authenticated GraphQL keeps Apollo's CSRF prevention: a simple GET without a preflight header is refused", async () => {
    await provision('csrf@example.com');
    const cookie = await signIn('csrf@example.com');
    const res = await http1().get('/graphql?query=%7Bviewer%7Brole%7D%7D').set('cookie', cookie);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(/CSRF|preflight/i);
  });

  test('logout ends the session and clears the cookie; it is audited', async () => {
    const userId = await provision('bye@example.com');
    const cookie = await signIn('bye@example.com');
    const res = await http1().post('/saml/sp/logout?returnTo=/bye').set('cookie', cookie).expect(303);
    expect(res.headers.location).toBe('/bye');
    expect(((res.headers['set-cookie'] as unknown as string[]) ?? []).join()).toMatch(/roster_session=;/);
    expect((await viewer(cookie)).errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
    expect(await app.sql("select action from audit_events where resource_id = ? and action like 'sso.%' order by at, action", [userId])).toEqual([{ action: 'sso.login' }, { action: 'sso.logout' }]);
  });

  test('a session idle longer than SESSION_IDLE_MINUTES, or past its absolute end, is refused', async () => {
    await provision('idle@example.com');
    const idle = await signIn('idle@example.com');
    await app.sql("update sessions set last_seen_at = now() - interval '61 minutes' where user_id = (select id from users where user_name = 'idle@example.com')");
    expect((await viewer(idle)).errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
    const old = await signIn('idle@example.com');
    await app.sql("update sessions set expires_at = now() - interval '1 second' where ended_at is null and user_id = (select id from users where user_name = 'idle@example.com')");
    expect((await viewer(old)).errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
  });

  test('an Authorization header wins over the cookie; SCIM accepts a session only to read, with a directory role', async () => {
    await provision('cookie-scim@example.com');
    const cookie = await signIn('cookie-scim@example.com');
    // a session reads through SCIM only with a directory role (this one is USER), and never writes
    expect((await http1().get('/scim/v2/Users').set('cookie', cookie)).status).toBe(403);
    const post = await http1()
      .post('/scim/v2/Users')
      .set('cookie', cookie)
      .set('content-type', 'application/scim+json')
      .send(JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'via-cookie@example.com' }));
    expect(post.status).toBe(401);
    const withBad = await http1().post('/graphql').set('content-type', 'application/json').set('cookie', cookie).set('authorization', 'Bearer nope').send({ query: '{ viewer { role } }' });
    expect(withBad.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('several IdPs', () => {
  test("one ACS for all: the Response's issuer picks the connection; ?idp= picks where a login starts", async () => {
    await new SamlConfigService(app.db.store()).configureFromMetadata(
      SYSTEM,
      'entra',
      idpMetadataXml({ entityId: 'https://sts.windows.net/tenant/', ssoUrl: 'https://login.microsoftonline.com/tenant/saml2', keys: [IDP_KEYS.b] }),
    );
    await provision('multi@example.com');
    // one entity ID, one label: the issuer must name a single connection
    await expect(new SamlConfigService(app.db.store()).configureFromMetadata(SYSTEM, 'okta2', idpMetadataXml({ keys: [IDP_KEYS.a] }))).rejects.toMatchObject({ code: 'UNIQUENESS' });
    const start = await http1().get('/saml/sp/login?idp=entra').expect(302);
    expect(start.headers.location).toMatch(/^https:\/\/login\.microsoftonline\.com\/tenant\/saml2\?SAMLRequest=/);
    expect(readRedirectRequest(start.headers.location as string).xml).toContain(`AssertionConsumerServiceURL="${SP.acsUrl}"`);
    const entra = { issuer: 'https://sts.windows.net/tenant/', key: IDP_KEYS.b, attributes: attrs('multi@example.com') };
    const ok = await postAcs({ SAMLResponse: samlResponse(entra) });
    expect(ok.status).toBe(303);
    expect((await viewer(sessionCookie(ok)!)).data?.viewer.idp).toBe('entra');
    // entra's issuer with okta's key: verified against entra's certificates, refused
    expect((await postAcs({ SAMLResponse: samlResponse({ ...entra, key: IDP_KEYS.a }) })).status).toBe(401);
    // an okta Response posted with ?idp=entra is verified against entra: wrong issuer
    expect((await postAcs({ SAMLResponse: samlResponse({ attributes: attrs('multi@example.com') }) }, '/saml/sp/acs?idp=entra')).status).toBe(401);
    expect((await refusals()).slice(-2)).toEqual(['signature', 'issuer']);
    // two IdPs and none marked default: a bare login cannot choose
    expect((await http1().get('/saml/sp/login')).status).toBe(404);
    await new SamlConfigService(app.db.store()).setOptions(SYSTEM, 'okta', { isDefault: true });
    expect((await http1().get('/saml/sp/login')).status).toBe(302);
  });
});
