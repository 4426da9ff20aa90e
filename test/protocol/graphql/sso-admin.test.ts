import { X509Certificate } from 'node:crypto';
import request from 'supertest';
import { createTestApp, PUBLIC_URL, unique, type TestApp } from '../../support/app.js';
import { IDP_KEYS, idpMetadataXml, samlResponse, TEST_IDP } from '../../support/saml-idp.js';

/**
 * Managing SAML connections and sessions through GraphQL, and `viewer`, over HTTP on a real
 * database: OWNER/ADMIN only, stable error codes, audited, and nothing stored when refused.
 */
let t: TestApp;
let reader: string;
let admin: string;
let provisioner: string;
beforeAll(async () => {
  t = await createTestApp();
  reader = await t.apiKey('READER', 'sso reader');
  admin = await t.apiKey('ADMIN', 'sso admin');
  provisioner = (await t.ok<{ activateProvisioning: { token: string } }>('mutation { activateProvisioning(idp: "okta") { token } }')).activateProvisioning.token;
});
afterAll(() => t.close());

const CONNECTION = `idp entityId ssoUrl ssoBinding wantResponseSigned jitProvisioning matchEmail isDefault
  certificates { pem subject notBefore notAfter fingerprintSha256 } roleMappings { group role } createdAt updatedAt spEntityId acsUrl`;

interface Connection {
  idp: string;
  entityId: string;
  ssoUrl: string;
  ssoBinding: string;
  wantResponseSigned: boolean;
  jitProvisioning: boolean;
  matchEmail: boolean;
  isDefault: boolean;
  certificates: { pem: string; subject: string; notBefore: string; notAfter: string; fingerprintSha256: string }[];
  roleMappings: { group: string; role: string }[];
  createdAt: string;
  updatedAt: string;
  spEntityId: string;
  acsUrl: string;
}

const CONFIGURE = `mutation($idp: String!, $xml: String!) { configureSaml(idp: $idp, metadataXml: $xml) { ${CONNECTION} } }`;
const MANUAL = `mutation($idp: String!, $input: SamlManualInput!) { configureSamlManually(idp: $idp, input: $input) { ${CONNECTION} } }`;
const OPTIONS = `mutation($idp: String!, $o: SamlOptionsInput!) { setSamlOptions(idp: $idp, options: $o) { ${CONNECTION} } }`;
const REMOVE = 'mutation($idp: String!) { removeSaml(idp: $idp) }';
const LIST = `{ samlConnections { ${CONNECTION} } }`;

const configure = async (idp: string, xml: string, key?: string) => (await t.ok<{ configureSaml: Connection }>(CONFIGURE, { idp, xml }, key)).configureSaml;
const setOptions = async (idp: string, o: Record<string, unknown>) => (await t.ok<{ setSamlOptions: Connection }>(OPTIONS, { idp, o })).setSamlOptions;
const connections = async () => (await t.ok<{ samlConnections: Connection[] }>(LIST)).samlConnections;
const connection = async (idp: string) => (await connections()).find((c) => c.idp === idp);
const stored = async (idp: string) => (await t.sql<{ n: number }>('select count(*)::int as n from saml_connections where idp = ?', [idp]))[0].n;
const audits = async (idp: string) =>
  (await t.sql<{ action: string; actor_label: string }>('select action, actor_label from audit_events where resource_id = ? order by at, id', [idp])).map((r) => r.action);

const fingerprint = (pem: string) => new X509Certificate(pem).fingerprint256;
/** Another Okta org: its own entity ID, so IdP-initiated sign-ins of the test IdP never pick it. */
const otherOrg = (label: string, keys = [IDP_KEYS.a]) => idpMetadataXml({ entityId: `http://www.okta.com/${label}`, ssoUrl: `https://${label}.okta.com/app/roster/${label}/sso/saml`, keys });

describe('samlServiceProvider', () => {
  it('says what to paste into an IdP before any is configured', async () => {
    expect((await t.ok<{ samlServiceProvider: unknown }>('{ samlServiceProvider { spEntityId acsUrl metadataUrl loginUrl } }')).samlServiceProvider).toEqual({
      spEntityId: `${PUBLIC_URL}/saml/sp/metadata`,
      acsUrl: `${PUBLIC_URL}/saml/sp/acs`,
      metadataUrl: `${PUBLIC_URL}/saml/sp/metadata`,
      loginUrl: `${PUBLIC_URL}/saml/sp/login`,
    });
  });
});

describe('configureSaml and samlConnections', () => {
  it('reads entity ID, SSO URL and the signing certificate from Okta metadata, and says what to paste into Okta', async () => {
    const idp = unique('okta');
    const c = await configure(idp, otherOrg(idp));
    expect(c).toMatchObject({
      idp,
      entityId: `http://www.okta.com/${idp}`,
      ssoUrl: `https://${idp}.okta.com/app/roster/${idp}/sso/saml`,
      ssoBinding: 'HTTP-Redirect',
      wantResponseSigned: false,
      jitProvisioning: false,
      matchEmail: false,
      isDefault: false,
      roleMappings: [],
      spEntityId: `${PUBLIC_URL}/saml/sp/metadata`,
      acsUrl: `${PUBLIC_URL}/saml/sp/acs`,
    });
    expect(c.certificates).toHaveLength(1);
    const [cert] = c.certificates;
    expect(cert.fingerprintSha256).toBe(fingerprint(IDP_KEYS.a.certificatePem));
    expect(cert.fingerprintSha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(cert.pem).toMatch(/^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n$/);
    expect(fingerprint(cert.pem)).toBe(cert.fingerprintSha256);
    const x = new X509Certificate(IDP_KEYS.a.certificatePem);
    expect(cert.subject).toBe(x.subject.split('\n').join(', '));
    expect(new Date(cert.notAfter).getTime()).toBe(x.validToDate.getTime());
    expect(new Date(cert.notBefore).getTime()).toBe(x.validFromDate.getTime());
    expect(await connection(idp)).toEqual(c);
    expect(await audits(idp)).toEqual(['saml.configure']);
  });

  it('keeps both certificates while the IdP rotates its key, and keeps the options on a re-configure', async () => {
    const idp = unique('rotating');
    const first = await configure(idp, otherOrg(idp));
    await setOptions(idp, { jitProvisioning: true });
    const c = await configure(idp, otherOrg(idp, [IDP_KEYS.a, IDP_KEYS.b]));
    expect(c.certificates.map((x) => x.fingerprintSha256)).toEqual([fingerprint(IDP_KEYS.a.certificatePem), fingerprint(IDP_KEYS.b.certificatePem)]);
    expect(c.jitProvisioning).toBe(true);
    expect(c.createdAt).toBe(first.createdAt);
    expect(new Date(c.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(first.updatedAt).getTime());
    expect((await connection(idp))!.certificates).toHaveLength(2);
  });

  it('takes metadata passed as a variable, as GraphiQL users are told to', async () => {
    const idp = unique('variable');
    const d = await t.ok<{ configureSaml: { idp: string; entityId: string; ssoUrl: string } }>(
      'mutation ($xml: String!) { configureSaml(idp: "' + idp + '", metadataXml: $xml) { idp entityId ssoUrl } }',
      {
        xml: otherOrg(idp),
      },
    );
    expect(d.configureSaml.idp).toBe(idp);
  });

  it.each([
    ['a DOCTYPE', (x: string) => x.replace('<md:EntityDescriptor', '<!DOCTYPE md:EntityDescriptor [<!ENTITY e "x">]><md:EntityDescriptor'), /DOCTYPE/],
    ['no certificate', () => idpMetadataXml({ keys: [] }), /no signing certificate/],
    ['not XML', () => 'this is not XML', /not well-formed XML|root element/],
    ['an empty string', () => '', /./],
    ['a broken certificate', (x: string) => x.replace(IDP_KEYS.a.certificate, IDP_KEYS.a.certificate.slice(0, 200)), /certificate|base64/i],
  ])('refuses metadata with %s with INVALID_VALUE and stores nothing', async (_what, make, message) => {
    const idp = unique('bad');
    const r = await t.gql(CONFIGURE, { idp, xml: make(otherOrg(idp)) });
    expect(r.codes).toEqual(['INVALID_VALUE']);
    expect(r.errors[0].message).toMatch(message);
    expect(r.data).toBeNull();
    expect(await stored(idp)).toBe(0);
    expect(await audits(idp)).toEqual([]);
  });

  it('keeps the stored connection when new metadata is refused', async () => {
    const idp = unique('kept');
    const before = await configure(idp, otherOrg(idp));
    expect((await t.gql(CONFIGURE, { idp, xml: 'nope' })).codes).toEqual(['INVALID_VALUE']);
    expect(await connection(idp)).toEqual(before);
  });

  it('refuses a label that is not a short IdP label', async () => {
    for (const idp of ['', 'has space', 'x'.repeat(65), '../okta']) {
      const r = await t.gql(CONFIGURE, { idp, xml: otherOrg('label') });
      expect(r.codes).toEqual(['INVALID_VALUE']);
    }
  });
});

describe('configureSamlManually', () => {
  it('takes entity ID, SSO URL and certificates as PEM or base64', async () => {
    const idp = unique('manual');
    const input = { entityId: `https://sts.example.com/${idp}/`, ssoUrl: `https://login.example.com/${idp}/saml2`, certificates: [IDP_KEYS.a.certificatePem, IDP_KEYS.b.certificate] };
    const c = (await t.ok<{ configureSamlManually: Connection }>(MANUAL, { idp, input })).configureSamlManually;
    expect(c).toMatchObject({ idp, entityId: input.entityId, ssoUrl: input.ssoUrl, acsUrl: `${PUBLIC_URL}/saml/sp/acs` });
    expect(c.certificates.map((x) => x.fingerprintSha256)).toEqual([fingerprint(IDP_KEYS.a.certificatePem), fingerprint(IDP_KEYS.b.certificatePem)]);
    expect(await audits(idp)).toEqual(['saml.configure']);
  });

  it.each([
    ['no certificate', { certificates: [] }],
    ['a certificate that is not one', { certificates: ['not a certificate'] }],
    ['an SSO URL that is not https', { ssoUrl: 'javascript:alert(1)' }],
    ['an empty entity ID', { entityId: '' }],
  ])('refuses %s with INVALID_VALUE and stores nothing', async (_what, change) => {
    const idp = unique('manual-bad');
    const input = { entityId: `https://sts.example.com/${idp}/`, ssoUrl: `https://login.example.com/${idp}/saml2`, certificates: [IDP_KEYS.a.certificate], ...change };
    const r = await t.gql(MANUAL, { idp, input });
    expect(r.codes).toEqual(['INVALID_VALUE']);
    expect(await stored(idp)).toBe(0);
  });
});

describe('setSamlOptions', () => {
  it('sets the options given and keeps the others; roleMappings replaces every mapping', async () => {
    const idp = unique('opts');
    await configure(idp, otherOrg(idp));
    let c = await setOptions(idp, {
      jitProvisioning: true,
      matchEmail: true,
      roleMappings: [
        { group: 'Roster Admins', role: 'ADMIN' },
        { group: ' Readers ', role: 'READER' },
      ],
    });
    expect(c).toMatchObject({ jitProvisioning: true, matchEmail: true, wantResponseSigned: false, isDefault: false });
    expect(c.roleMappings).toEqual([
      { group: 'Roster Admins', role: 'ADMIN' },
      { group: 'Readers', role: 'READER' },
    ]);
    c = await setOptions(idp, { wantResponseSigned: true, jitProvisioning: null });
    expect(c).toMatchObject({ jitProvisioning: true, matchEmail: true, wantResponseSigned: true });
    expect(c.roleMappings).toHaveLength(2);
    c = await setOptions(idp, { roleMappings: [{ group: 'Owners', role: 'OWNER' }], matchEmail: false });
    expect(c.roleMappings).toEqual([{ group: 'Owners', role: 'OWNER' }]);
    expect(c.matchEmail).toBe(false);
    c = await setOptions(idp, { roleMappings: [] });
    expect(c.roleMappings).toEqual([]);
    expect(await connection(idp)).toEqual(c);
    expect(await audits(idp)).toEqual(['saml.configure', 'saml.options', 'saml.options', 'saml.options', 'saml.options']);
    const changed = await t.sql<{ changed: string[] }>("select changed from audit_events where resource_id = ? and action = 'saml.options' order by at, id", [idp]);
    expect(changed[0].changed.sort()).toEqual(['jitProvisioning', 'matchEmail', 'roleMappings']);
    expect(changed[1].changed).toEqual(['wantResponseSigned']);
  });

  it('moves isDefault from one IdP to another', async () => {
    const one = unique('default-one');
    const two = unique('default-two');
    await configure(one, otherOrg(one));
    await configure(two, otherOrg(two));
    expect((await setOptions(one, { isDefault: true })).isDefault).toBe(true);
    expect((await setOptions(two, { isDefault: true })).isDefault).toBe(true);
    const all = await connections();
    expect(all.filter((c) => c.isDefault).map((c) => c.idp)).toEqual([two]);
    expect(all.find((c) => c.idp === one)!.isDefault).toBe(false);
    await setOptions(two, { isDefault: false });
    expect((await connections()).filter((c) => c.isDefault)).toEqual([]);
  });

  it.each([
    ['USER', { group: 'Everyone', role: 'USER' }],
    ['PROVISIONER', { group: 'Bots', role: 'PROVISIONER' }],
    ['a lower-case role', { group: 'Admins', role: 'admin' }],
    ['an empty group', { group: '  ', role: 'ADMIN' }],
  ])('refuses a mapping to %s with INVALID_VALUE and changes nothing', async (_what, mapping) => {
    const idp = unique('map-bad');
    await configure(idp, otherOrg(idp));
    await setOptions(idp, { roleMappings: [{ group: 'Kept', role: 'READER' }] });
    const r = await t.gql(OPTIONS, { idp, o: { roleMappings: [mapping], jitProvisioning: true } });
    expect(r.codes).toEqual(['INVALID_VALUE']);
    expect(await connection(idp)).toMatchObject({ roleMappings: [{ group: 'Kept', role: 'READER' }], jitProvisioning: false });
  });

  it('answers NOT_FOUND for an IdP that is not configured', async () => {
    const r = await t.gql(OPTIONS, { idp: unique('nobody'), o: { isDefault: true } });
    expect(r.codes).toEqual(['NOT_FOUND']);
  });
});

describe('removeSaml', () => {
  it('removes a connection once, audited; false after', async () => {
    const idp = unique('gone');
    await configure(idp, otherOrg(idp));
    expect((await t.ok<{ removeSaml: boolean }>(REMOVE, { idp })).removeSaml).toBe(true);
    expect(await connection(idp)).toBeUndefined();
    expect(await stored(idp)).toBe(0);
    expect((await t.ok<{ removeSaml: boolean }>(REMOVE, { idp })).removeSaml).toBe(false);
    expect(await audits(idp)).toEqual(['saml.configure', 'saml.remove']);
  });
});

describe('roles', () => {
  const idp = unique('guarded');
  const calls: [string, string, Record<string, unknown>][] = [
    ['samlConnections', LIST, {}],
    ['samlServiceProvider', '{ samlServiceProvider { acsUrl } }', {}],
    ['configureSaml', CONFIGURE, { idp, xml: otherOrg(idp) }],
    ['configureSamlManually', MANUAL, { idp, input: { entityId: 'https://x.example.com', ssoUrl: 'https://x.example.com/sso', certificates: [IDP_KEYS.a.certificate] } }],
    ['setSamlOptions', OPTIONS, { idp, o: { isDefault: true } }],
    ['removeSaml', REMOVE, { idp }],
    ['sessions', '{ sessions { id } }', {}],
    ['revokeSession', 'mutation { revokeSession(id: "00000000-0000-4000-8000-000000000000") { id } }', {}],
  ];

  it('lets an ADMIN key manage connections, recorded under its name', async () => {
    const c = await configure(idp, otherOrg(idp), admin);
    expect(c.idp).toBe(idp);
    const rows = await t.sql<{ actor_label: string }>("select actor_label from audit_events where resource_id = ? and action = 'saml.configure'", [idp]);
    expect(rows.map((r) => r.actor_label)).toEqual(['sso admin']);
  });

  it.each(calls)('refuses %s to READER and PROVISIONER (FORBIDDEN) and to anonymous callers (UNAUTHENTICATED), changing nothing', async (_name, query, variables) => {
    const before = await connection(idp);
    for (const key of [reader, provisioner]) {
      const r = await t.gql(query, variables, key);
      expect(r.codes).toEqual(['FORBIDDEN']);
      expect(r.data).toBeNull();
    }
    expect((await t.gql(query, variables, null)).codes).toEqual(['UNAUTHENTICATED']);
    expect(await connection(idp)).toEqual(before);
  });
});

describe('viewer', () => {
  const VIEWER = '{ viewer { user { id userName } role idp sessionId credentialName } }';

  it('answers for API keys and SCIM tokens: no user, no session', async () => {
    expect((await t.ok(VIEWER)).viewer).toEqual({ user: null, role: 'OWNER', idp: null, sessionId: null, credentialName: expect.any(String) });
    expect((await t.ok(VIEWER, {}, reader)).viewer).toEqual({ user: null, role: 'READER', idp: null, sessionId: null, credentialName: 'sso reader' });
    expect((await t.ok(VIEWER, {}, provisioner)).viewer).toMatchObject({ user: null, role: 'PROVISIONER', idp: 'okta', sessionId: null });
  });

  it('refuses anonymous callers', async () => {
    const r = await t.gql(VIEWER, {}, null);
    expect(r.codes).toEqual(['UNAUTHENTICATED']);
  });
});

describe('sessions', () => {
  const SESSIONS =
    'query($u: ID, $e: Boolean, $f: Int) { sessions(userId: $u, includeEnded: $e, first: $f) { id user { id userName } idp role createdAt lastSeenAt expiresAt endedAt endReason address userAgent } }';
  const REVOKE = 'mutation($id: ID!) { revokeSession(id: $id) { id endedAt endReason user { userName } } }';

  it('lists nobody for a user without sessions, and checks the page size', async () => {
    expect((await t.ok<{ sessions: unknown[] }>(SESSIONS, { u: '00000000-0000-4000-8000-000000000000', e: true })).sessions).toEqual([]);
    expect((await t.ok<{ sessions: unknown[] }>(SESSIONS, { u: 'not-a-uuid' })).sessions).toEqual([]);
    expect((await t.ok<{ sessions: unknown[] }>(SESSIONS, { f: 0 })).sessions).toEqual([]);
    expect((await t.gql(SESSIONS, { f: 500 })).errors).toEqual([]);
    for (const f of [501, -1, 2_147_483_647]) expect((await t.gql(SESSIONS, { f })).codes).toEqual(['INVALID_VALUE']);
  });

  it('answers NOT_FOUND for revoking a session that does not exist', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const r = await t.gql(REVOKE, { id });
      expect(r.codes).toEqual(['NOT_FOUND']);
    }
  });

  describe('after a real sign-in', () => {
    let cookie: string;
    let userId: string;
    const userName = `${unique('ada')}@example.com`;
    const viewerOf = (c: string) =>
      request(t.server).post('/graphql').set('content-type', 'application/json').set('cookie', c).send({ query: '{ viewer { user { id userName } role idp sessionId credentialName } }' });

    beforeAll(async () => {
      // The test IdP signs as TEST_IDP; it is the connection an IdP-initiated Response picks by its issuer.
      await configure('okta', idpMetadataXml({ keys: [IDP_KEYS.a] }));
      const created = await request(t.server)
        .post('/scim/v2/Users')
        .set('authorization', `Bearer ${provisioner}`)
        .set('content-type', 'application/scim+json')
        .send(JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName, emails: [{ value: userName, primary: true }] }));
      expect(created.status).toBe(201);
      userId = created.body.id as string;
      const res = await request(t.server)
        .post('/saml/sp/acs')
        .set('user-agent', 'sso-admin-test')
        .type('form')
        .send({ SAMLResponse: samlResponse({ issuer: TEST_IDP.entityId, nameId: userName, attributes: { loginId: userName, email: userName } }) });
      expect(res.status).toBe(303);
      const set = (res.headers['set-cookie'] as unknown as string[]).find((h) => h.startsWith('roster_session=') && !h.startsWith('roster_session=;'))!;
      cookie = set.split(';')[0];
    });

    it('viewer shows the signed-in person, role USER, the IdP and the session', async () => {
      const res = await viewerOf(cookie);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.viewer).toEqual({ user: { id: userId, userName }, role: 'USER', idp: 'okta', sessionId: expect.any(String), credentialName: null });
    });

    it('a USER may read viewer and nothing else', async () => {
      for (const query of ['{ users { totalCount } }', '{ samlConnections { idp } }', '{ sessions { id } }', '{ me { role } }']) {
        const res = await request(t.server).post('/graphql').set('content-type', 'application/json').set('cookie', cookie).send({ query });
        expect(res.body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['FORBIDDEN']);
      }
    });

    it('sessions lists it with its user; revokeSession ends it at once, audited, and a second revoke changes nothing', async () => {
      const sessionId = (await viewerOf(cookie)).body.data.viewer.sessionId as string;
      const listed = (await t.ok<{ sessions: Record<string, unknown>[] }>(SESSIONS, { u: userId })).sessions;
      expect(listed).toEqual([
        {
          id: sessionId,
          user: { id: userId, userName },
          idp: 'okta',
          role: 'USER',
          createdAt: expect.any(String),
          lastSeenAt: expect.any(String),
          expiresAt: expect.any(String),
          endedAt: null,
          endReason: null,
          address: expect.any(String),
          userAgent: 'sso-admin-test',
        },
      ]);
      expect((await t.ok<{ sessions: { id: string }[] }>(SESSIONS)).sessions.map((s) => s.id)).toContain(sessionId);
      // READER, ADMIN and the like see no secret anywhere: a session is only its id.
      const revoked = (await t.ok<{ revokeSession: { id: string; endedAt: string | null; endReason: string; user: { userName: string } } }>(REVOKE, { id: sessionId }, admin)).revokeSession;
      expect(revoked).toMatchObject({ id: sessionId, endReason: 'revoked', user: { userName } });
      expect(revoked.endedAt).not.toBeNull();
      const after = await viewerOf(cookie);
      expect(after.body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['UNAUTHENTICATED']);
      expect((await t.ok<{ sessions: unknown[] }>(SESSIONS, { u: userId })).sessions).toEqual([]);
      expect((await t.ok<{ sessions: { endReason: string }[] }>(SESSIONS, { u: userId, e: true })).sessions.map((s) => s.endReason)).toEqual(['revoked']);
      const again = (await t.ok<{ revokeSession: { endedAt: string } }>(REVOKE, { id: sessionId })).revokeSession;
      expect(again.endedAt).toBe(revoked.endedAt);
      const events = await t.sql<{ actor_label: string }>("select actor_label from audit_events where action = 'session.revoke' and resource_id = ?", [sessionId]);
      expect(events.map((e) => e.actor_label)).toEqual(['sso admin']);
    });
  });
});

describe('cost', () => {
  it('charges sessions at the page asked for', async () => {
    const deep = '{ sessions(first: 500) { user { groups { members { nodes { user { id } } } } } } }';
    const r = await t.gql(deep);
    expect(r.status).toBe(400);
    expect(r.codes).toEqual(['QUERY_TOO_COMPLEX']);
    expect((await t.gql('{ sessions(first: 1) { user { groups { id } } } }')).errors).toEqual([]);
  });
});
