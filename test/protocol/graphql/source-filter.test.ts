import { SYSTEM } from '../../../src/auth/principal.js';
import { CredentialService } from '../../../src/domain/credentials/credential-service.js';
import { createTestApp, type TestApp } from '../../support/app.js';

/** The console's Auth Provider filter: users and groups by the IdP that manages them, or "local". */
let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

test('users and groups filter and sort by source; SCIM does not know the attribute', async () => {
  const token = (await new CredentialService(app.db.store()).activateProvisioning(SYSTEM, 'okta')).secret;
  await app.ok('mutation { createUser(input: { userName: "local-one" }) { id } }');
  const scim = await fetch(`${app.baseUrl}/scim/v2/Users`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
    body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'okta-one' }),
  });
  expect(scim.status).toBe(201);
  const byIdp = async (source: string) =>
    (
      await app.ok<{ users: { nodes: { userName: string }[] } }>('query($f: FilterInput) { users(filter: $f) { nodes { userName } } }', {
        f: { compare: { path: 'source', op: 'EQ', value: source } },
      })
    ).users.nodes.map((n) => n.userName);
  expect(await byIdp('okta')).toEqual(['okta-one']);
  expect(await byIdp('local')).toContain('local-one');
  expect(await byIdp('local')).not.toContain('okta-one');
  const groups = await app.gql('query { groups(filter: { compare: { path: "source", op: EQ, value: "local" } }) { totalCount } }');
  expect(groups.errors).toEqual([]);
  const overScim = await fetch(`${app.baseUrl}/scim/v2/Users?filter=${encodeURIComponent('source eq "okta"')}`, { headers: { authorization: `Bearer ${token}` } });
  expect(overScim.status).toBe(400);
});
