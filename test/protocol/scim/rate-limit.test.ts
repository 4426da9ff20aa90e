import { SYSTEM } from '../../../src/auth/principal.js';
import { CredentialService } from '../../../src/domain/credentials/credential-service.js';
import { startScimApp, ScimTestApp } from './scim-app.js';
import { URN } from './scim-client.js';

/** RATE_LIMIT_PER_MINUTE per credential (or per address): 429 with Retry-After and a SCIM error body. */
let app: ScimTestApp;
beforeAll(async () => {
  app = await startScimApp('okta', { RATE_LIMIT_PER_MINUTE: '3' });
});
afterAll(() => app.close());

test('the request over the budget gets 429 with Retry-After; another credential has its own budget', async () => {
  const get = (token: string) => app.http.get('/scim/v2/Users?count=1').set('Authorization', `Bearer ${token}`);
  for (let i = 0; i < 3; i++) await get(app.token).expect(200);
  const limited = await get(app.token).expect(429);
  expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  expect(limited.body).toMatchObject({ schemas: [URN.error], status: '429' });
  const other = await new CredentialService(app.db.store()).activateProvisioning(SYSTEM, 'entra');
  await get(other.secret).expect(200);
});

test('without TRUST_PROXY, X-Forwarded-For cannot buy a fresh budget', async () => {
  const anon = (ip: string) => app.http.get('/scim/v2/Users').set('X-Forwarded-For', ip);
  for (let i = 0; i < 3; i++) await anon(`203.0.113.${i}`).expect(401);
  await anon('203.0.113.99').expect(429);
});
