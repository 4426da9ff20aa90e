import { SYSTEM } from '../../src/auth/principal.js';
import { Authenticator } from '../../src/auth/authenticate.js';
import { bootstrap } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config/config.js';
import { CredentialService } from '../../src/domain/credentials/credential-service.js';
import { createLogger } from '../../src/http/logger.js';
import type { Database } from '../../src/persistence/database.js';
import { createTestDatabase } from '../support/db.js';

/** DESIGN §6: the bootstrap secrets from the environment, and the first start's OWNER key. */
let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.close());

const ADMIN = 'rk_bootstrap_admin_secret_0123456789abcdef';
const SCIM = 'rs_bootstrap_scim_secret_0123456789abcdef0';
const logger = createLogger('silent');
const svc = () => new CredentialService(db.store());
const whoIs = async (secret: string) => {
  try {
    const p = await new Authenticator().authenticate(db.store(), secret);
    return `${p.role}${p.idp ? `:${p.idp}` : ''}`;
  } catch (e) {
    return (e as Error).message;
  }
};

test('a first start without bootstrap secrets prints an OWNER key, once', async () => {
  const first = await bootstrap(loadConfig({}), db, logger);
  expect(await whoIs(first.firstOwnerKey!)).toBe('OWNER');
  expect((await bootstrap(loadConfig({}), db, logger)).firstOwnerKey).toBeUndefined();
});

test('bootstrap secrets are created once and then left alone', async () => {
  const config = loadConfig({ ROSTER_BOOTSTRAP_ADMIN_TOKEN: ADMIN, ROSTER_BOOTSTRAP_SCIM_TOKEN: SCIM, ROSTER_BOOTSTRAP_IDP: 'entra' });
  expect(await bootstrap(config, db, logger)).toEqual({ firstOwnerKey: undefined });
  await bootstrap(config, db, logger);
  expect(await whoIs(ADMIN)).toBe('OWNER');
  expect(await whoIs(SCIM)).toBe('PROVISIONER:entra');
  expect((await svc().list()).filter((c) => c.name === 'bootstrap owner key')).toHaveLength(1);
});

test('a bootstrap secret an admin revoked stays revoked, and the server still starts', async () => {
  const config = loadConfig({ ROSTER_BOOTSTRAP_ADMIN_TOKEN: ADMIN, ROSTER_BOOTSTRAP_SCIM_TOKEN: SCIM, ROSTER_BOOTSTRAP_IDP: 'entra' });
  await svc().rotateScimToken(SYSTEM, 'entra');
  const adminKey = (await svc().list()).find((c) => c.name === 'bootstrap owner key')!;
  await svc().revoke(SYSTEM, adminKey.id);
  await expect(bootstrap(config, db, logger)).resolves.toEqual({ firstOwnerKey: undefined });
  expect(await whoIs(ADMIN)).toMatch(/revoked/);
  expect(await whoIs(SCIM)).toMatch(/revoked/);
});
