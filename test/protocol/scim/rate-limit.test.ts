import { SYSTEM } from '../../../src/auth/principal.js';
import { CredentialService } from '../../../src/domain/credentials/credential-service.js';
import { startScimApp, ScimTestApp } from './scim-app.js';
import { URN } from './scim-client.js';

/**
 * Limits count the caller, not the spelling of a header: RATE_LIMIT_PER_MINUTE per authenticated
 * credential, AUTH_FAILURES_PER_MINUTE per client address for missing or refused credentials
 * (answered without a database lookup once the address is over). 429 carries Retry-After.
 */
let app: ScimTestApp;
beforeAll(async () => {
  app = await startScimApp('okta', { RATE_LIMIT_PER_MINUTE: '60', AUTH_FAILURES_PER_MINUTE: '30' });
});
afterAll(() => app.close());

const lookups = async () => Number(/roster_credential_lookups_total (\d+)/.exec((await app.http.get('/metrics')).text)?.[1]);

test('one token written 20 ways draws on one budget: 60 of 200 requests pass, the rest get 429 with Retry-After', async () => {
  const { secret } = await new CredentialService(app.db.store()).activateProvisioning(SYSTEM, 'spellings');
  const spellings = ['Bearer ', 'bearer ', 'BEARER ', 'Bearer  ', 'Bearer\t', 'bEaReR ', 'Bearer \t', 'bearer\t '].flatMap((p) => [`${p}${secret}`, `${p}${secret} `, `${p}${secret}\t`]).slice(0, 20);
  const statuses: number[] = [];
  for (let i = 0; i < 200; i++) statuses.push((await app.http.get('/scim/v2/Users?count=1').set('Authorization', spellings[i % spellings.length]!)).status);
  expect(statuses.filter((s) => s === 200)).toHaveLength(60);
  expect(statuses.filter((s) => s === 429)).toHaveLength(140);
  const limited = await app.http.get('/scim/v2/Users?count=1').set('Authorization', `Bearer ${secret}`).expect(429);
  expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  expect(limited.body).toMatchObject({ schemas: [URN.error], status: '429' });
  // another credential keeps its own budget
  await app.http.get('/scim/v2/Users?count=1').set('Authorization', `Bearer ${app.token}`).expect(200);
});

test('200 different bogus tokens: 30 × 401, then 429 without another credential lookup', async () => {
  const before = await lookups();
  const statuses: number[] = [];
  for (let i = 0; i < 200; i++) statuses.push((await app.http.get('/scim/v2/Users').set('Authorization', `Bearer bogus-${i}-${'x'.repeat(40)}`)).status);
  expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
  expect(statuses.slice(30).every((s) => s === 429)).toBe(true);
  expect((await lookups()) - before).toBe(30);
  // the address stays blocked even for a valid token until its window ends
  const blocked = await app.http.get('/scim/v2/Users?count=1').set('Authorization', `Bearer ${app.token}`).expect(429);
  expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
});

describe('client addresses', () => {
  let proxied: ScimTestApp;
  let direct: ScimTestApp;
  beforeAll(async () => {
    proxied = await startScimApp('okta', { AUTH_FAILURES_PER_MINUTE: '3', TRUST_PROXY: 'true' });
    direct = await startScimApp('okta', { AUTH_FAILURES_PER_MINUTE: '3' });
  });
  afterAll(async () => {
    await proxied.close();
    await direct.close();
  });

  test('without TRUST_PROXY, X-Forwarded-For cannot buy a fresh budget', async () => {
    const anon = (ip: string) => direct.http.get('/scim/v2/Users').set('X-Forwarded-For', ip);
    for (let i = 0; i < 3; i++) await anon(`203.0.113.${i}`).expect(401);
    await anon('203.0.113.99').expect(429);
  });

  test('behind a trusted proxy, the address the proxy saw counts, not one the client wrote before it', async () => {
    const anon = (spoofed: string) => proxied.http.get('/scim/v2/Users').set('X-Forwarded-For', `${spoofed}, 198.51.100.7`);
    for (let i = 0; i < 3; i++) await anon(`203.0.113.${i}`).expect(401);
    await anon('203.0.113.99').expect(429);
    // another real client behind the same proxy is not affected
    await proxied.http.get('/scim/v2/Users').set('X-Forwarded-For', '198.51.100.8').expect(401);
  });
});
