import { createTestApp, TestApp, unique } from '../../support/app.js';

/** Role checks and authentication of /graphql, over HTTP with real credentials. */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const CREATE_USER = 'mutation($u: String!) { createUser(input: { userName: $u }) { id source } }';
const CREATE_GROUP = 'mutation($n: String!) { createGroup(input: { displayName: $n }) { id source } }';

const userRows = async (userName: string) => (await t.sql<{ n: number }>('select count(*)::int as n from users where user_name = ?', [userName]))[0].n;

/** A SCIM token from activateProvisioning: the PROVISIONER principal. */
async function scimToken(idp: string): Promise<string> {
  const d = await t.ok<{ activateProvisioning: { token: string; scimBaseUrl: string } }>('mutation($i: String!) { activateProvisioning(idp: $i) { token scimBaseUrl } }', { i: idp });
  expect(d.activateProvisioning.scimBaseUrl).toBe('http://roster.test/scim/v2');
  return d.activateProvisioning.token;
}

describe('unauthenticated', () => {
  it('refuses a request without a key and says how to send one', async () => {
    const r = await t.gql('{ me { role } }', {}, null);
    expect(r.codes).toEqual(['UNAUTHENTICATED']);
    expect(r.errors[0].message).toMatch(/Authorization: Bearer/);
    expect(r.data).toBeNull();
  });

  it('refuses an unknown key', async () => {
    const r = await t.gql('{ users { totalCount } }', {}, 'rk_not_a_real_key');
    expect(r.codes).toEqual(['UNAUTHENTICATED']);
    expect(r.errors[0].message).toBe('The credential is not valid.');
  });

  it('refuses a revoked key, at once', async () => {
    const key = await t.apiKey('ADMIN', 'soon revoked');
    const me = await t.ok<{ me: { credentialId: string; role: string } }>('{ me { credentialId role } }', {}, key);
    expect(me.me.role).toBe('ADMIN');
    await t.ok('mutation($id: ID!) { revokeCredential(id: $id) { revokedAt } }', { id: me.me.credentialId });
    const r = await t.gql('{ me { role } }', {}, key);
    expect(r.codes).toEqual(['UNAUTHENTICATED']);
    expect(r.errors[0].message).toMatch(/revoked/);
  });

  it('writes nothing for an unauthenticated mutation', async () => {
    const name = unique('anon');
    const r = await t.gql(CREATE_USER, { u: name }, null);
    expect(r.codes).toEqual(['UNAUTHENTICATED']);
    expect(await userRows(name)).toBe(0);
  });
});

describe('READER', () => {
  let reader: string;
  beforeAll(async () => {
    reader = await t.apiKey('READER');
  });

  it('reads the directory', async () => {
    const d = await t.ok<{ me: { role: string }; users: { totalCount: number } }>('{ me { role } users { totalCount } }', {}, reader);
    expect(d.me.role).toBe('READER');
    expect(typeof d.users.totalCount).toBe('number');
  });

  it('cannot write users or groups, and nothing is written', async () => {
    const name = unique('reader-made');
    const u = await t.gql(CREATE_USER, { u: name }, reader);
    expect(u.codes).toEqual(['FORBIDDEN']);
    expect(await userRows(name)).toBe(0);
    const g = await t.gql(CREATE_GROUP, { n: name }, reader);
    expect(g.codes).toEqual(['FORBIDDEN']);
  });

  it('cannot see or mint credentials, nor read the audit trail', async () => {
    for (const q of ['{ credentials { id } }', '{ auditEvents { id } }', '{ provisioning { idp } }', 'mutation { createApiKey(name: "x", role: "READER") { secret } }']) {
      expect((await t.gql(q, {}, reader)).codes).toEqual(['FORBIDDEN']);
    }
  });
});

describe('ADMIN', () => {
  it('manages credentials but cannot mint an OWNER key', async () => {
    const admin = await t.apiKey('ADMIN');
    const reader = await t.ok<{ createApiKey: { secret: string; credential: { role: string } } }>(
      'mutation { createApiKey(name: "by admin", role: "READER") { secret credential { role } } }',
      {},
      admin,
    );
    expect(reader.createApiKey.credential.role).toBe('READER');
    const owner = await t.gql('mutation { createApiKey(name: "escalation", role: "OWNER") { secret } }', {}, admin);
    expect(owner.codes).toEqual(['FORBIDDEN']);
    expect((await t.gql('mutation { createApiKey(name: "x", role: "ROOT") { secret } }', {}, admin)).codes).toEqual(['INVALID_VALUE']);
  });
});

describe('PROVISIONER (a SCIM token on /graphql)', () => {
  let token: string;
  beforeAll(async () => {
    token = await scimToken('okta');
  });

  it('manages users and groups, which become managed by its IdP', async () => {
    const me = await t.ok<{ me: { role: string; idp: string } }>('{ me { role idp } }', {}, token);
    expect(me.me).toEqual({ role: 'PROVISIONER', idp: 'okta' });
    const u = await t.ok<{ createUser: { id: string; source: string } }>(CREATE_USER, { u: unique('pushed') }, token);
    expect(u.createUser.source).toBe('okta');
    const g = await t.ok<{ createGroup: { id: string; source: string } }>(CREATE_GROUP, { n: unique('pushed') }, token);
    expect(g.createGroup.source).toBe('okta');
    const added = await t.ok<{ addGroupMembers: { version: number } }>(
      'mutation($g: ID!, $u: ID!) { addGroupMembers(id: $g, members: [{ id: $u }]) { version } }',
      { g: g.createGroup.id, u: u.createUser.id },
      token,
    );
    expect(added.addGroupMembers.version).toBe(2);
  });

  it('cannot touch credentials, provisioning or the audit trail', async () => {
    for (const q of [
      '{ credentials { id } }',
      '{ auditEvents { id } }',
      '{ provisioning { idp } }',
      'mutation { activateProvisioning(idp: "entra") { token } }',
      'mutation { rotateScimToken(idp: "okta") { secret } }',
      'mutation { issueScimToken(idp: "okta") { secret } }',
      'mutation { deactivateProvisioning(idp: "okta") { active } }',
      'mutation { createApiKey(name: "x", role: "READER") { secret } }',
    ]) {
      expect({ q, codes: (await t.gql(q, {}, token)).codes }).toEqual({ q, codes: ['FORBIDDEN'] });
    }
  });

  it('is refused while provisioning is deactivated, and works again once reactivated', async () => {
    const idp = 'entra';
    const entra = await scimToken(idp);
    await t.ok('mutation($i: String!) { deactivateProvisioning(idp: $i) { active } }', { i: idp });
    const r = await t.gql('{ me { role } }', {}, entra);
    expect(r.codes).toEqual(['UNAUTHENTICATED']);
    expect(r.errors[0].message).toMatch(/deactivated/);
    const again = await scimToken(idp);
    expect((await t.ok<{ me: { role: string } }>('{ me { role } }', {}, again)).me.role).toBe('PROVISIONER');
  });

  it('loses its old token when the token is rotated', async () => {
    const idp = 'rotating';
    const old = await scimToken(idp);
    const d = await t.ok<{ rotateScimToken: { secret: string } }>('mutation($i: String!) { rotateScimToken(idp: $i) { secret } }', { i: idp });
    expect((await t.gql('{ me { role } }', {}, old)).codes).toEqual(['UNAUTHENTICATED']);
    expect((await t.ok<{ me: { role: string } }>('{ me { role } }', {}, d.rotateScimToken.secret)).me.role).toBe('PROVISIONER');
  });

  it('rotates with overlap: issueScimToken adds a named token and the old one works until revoked', async () => {
    const idp = 'overlapping';
    const old = await scimToken(idp);
    const d = await t.ok<{ issueScimToken: { secret: string; credential: { id: string; name: string } } }>(
      'mutation($i: String!) { issueScimToken(idp: $i, name: "Okta, from December") { secret credential { id name } } }',
      { i: idp },
    );
    expect(d.issueScimToken.credential.name).toBe('Okta, from December');
    for (const token of [old, d.issueScimToken.secret]) expect((await t.ok<{ me: { role: string } }>('{ me { role } }', {}, token)).me.role).toBe('PROVISIONER');
    const oldId = (await t.ok<{ credentials: { id: string; idp: string | null }[] }>('{ credentials { id idp } }')).credentials.find(
      (c) => c.idp === idp && c.id !== d.issueScimToken.credential.id,
    )!.id;
    await t.ok('mutation($id: ID!) { revokeCredential(id: $id) { id } }', { id: oldId });
    expect((await t.gql('{ me { role } }', {}, old)).codes).toEqual(['UNAUTHENTICATED']);
    expect((await t.ok<{ me: { role: string } }>('{ me { role } }', {}, d.issueScimToken.secret)).me.role).toBe('PROVISIONER');
    expect((await t.gql('mutation { issueScimToken(idp: "never-set-up") { secret } }')).codes).toEqual(['NOT_FOUND']);
  });

  it('lists tokens without their secrets', async () => {
    const d = await t.ok<{ credentials: { kind: string; prefix: string }[] }>('{ credentials { kind prefix } }');
    expect(d.credentials.some((c) => c.kind === 'scim_token' && c.prefix.startsWith('rs_'))).toBe(true);
    const res = await t.gql<Record<string, unknown>>('{ credentials { id secret } }');
    expect(res.codes).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });
});
