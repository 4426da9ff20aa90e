import { SYSTEM } from '../../../src/auth/principal.js';
import { CredentialService } from '../../../src/domain/credentials/credential-service.js';
import { startScimApp, ScimTestApp } from './scim-app.js';
import { until } from '../../support/wait.js';

/**
 * Principals are cached between requests, so revocation must reach the cache through the
 * database's NOTIFY, the moment it commits: a revoked or suspended token is refused on its very next call.
 */
let app: ScimTestApp;
const svc = () => new CredentialService(app.db.store());
const list = (token: string) => app.http.get('/scim/v2/Users?count=1').set('Authorization', `Bearer ${token}`);
/** The NOTIFY of a commit reaches the cache within moments; wait for that state, not a fixed time. */
const refusedSoon = (token: string) => until(async () => (await list(token)).status === 401, 2000, 'the token refused');

beforeAll(async () => {
  app = await startScimApp('okta');
});
afterAll(() => app.close());

test('a revoked token is refused on its next request, after being used (and cached)', async () => {
  const { credential, secret } = await svc().activateProvisioning(SYSTEM, 'revoke-me');
  for (let i = 0; i < 3; i++) await list(secret).expect(200);
  await svc().revoke(SYSTEM, credential.id);
  await refusedSoon(secret);
  const res = await list(secret).expect(401);
  expect(res.body.detail).toMatch(/revoked/);
});

test('deactivating provisioning refuses a cached token at once; activating issues a working one', async () => {
  const { secret } = await svc().activateProvisioning(SYSTEM, 'pause-me');
  await list(secret).expect(200);
  await svc().deactivateProvisioning(SYSTEM, 'pause-me');
  await refusedSoon(secret);
  expect((await list(secret).expect(401)).body.detail).toMatch(/deactivated/);
  const again = await svc().activateProvisioning(SYSTEM, 'pause-me');
  await list(again.secret).expect(200);
});

test('rotating a token refuses the old one at once', async () => {
  const { secret } = await svc().activateProvisioning(SYSTEM, 'rotate-me');
  await list(secret).expect(200);
  const rotated = await svc().rotateScimToken(SYSTEM, 'rotate-me');
  await refusedSoon(secret);
  await list(rotated.secret).expect(200);
});
