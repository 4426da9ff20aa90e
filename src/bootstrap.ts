import type { Logger } from 'pino';
import { SYSTEM } from './auth/principal.js';
import type { Config } from './config/config.js';
import { CredentialService } from './domain/credentials/credential-service.js';
import type { Database } from './persistence/database.js';

/**
 * DESIGN §6: ROSTER_BOOTSTRAP_ADMIN_TOKEN ensures an OWNER key with that secret exists;
 * ROSTER_BOOTSTRAP_SCIM_TOKEN activates provisioning with that token. Without either, the first
 * start on an empty database prints a one-time OWNER key.
 */
export async function bootstrap(config: Config, db: Database, logger: Logger): Promise<{ firstOwnerKey?: string }> {
  const svc = new CredentialService(db.store());
  let firstOwnerKey: string | undefined;
  const admin = config.bootstrapAdminToken ? await svc.secretStatus(config.bootstrapAdminToken) : undefined;
  if (admin === 'absent') {
    await svc.createApiKey(SYSTEM, 'bootstrap owner key', 'OWNER', { secret: config.bootstrapAdminToken });
    logger.info('created the OWNER key given in ROSTER_BOOTSTRAP_ADMIN_TOKEN');
  }
  const scim = config.bootstrapScimToken ? await svc.secretStatus(config.bootstrapScimToken) : undefined;
  if (scim === 'absent') {
    await svc.activateProvisioning(SYSTEM, config.bootstrapIdp, { secret: config.bootstrapScimToken });
    logger.info({ idp: config.bootstrapIdp }, 'activated provisioning with the token given in ROSTER_BOOTSTRAP_SCIM_TOKEN');
  }
  // An admin revoked (or rotated away) a bootstrap secret: it stays revoked; re-issuing it would
  // undo the revocation (and its hash is taken, so the start used to fail on a uniqueness error).
  if (admin === 'revoked') logger.warn('ROSTER_BOOTSTRAP_ADMIN_TOKEN names a revoked key; it stays revoked. Remove the variable or set a new secret.');
  if (scim === 'revoked') logger.warn('ROSTER_BOOTSTRAP_SCIM_TOKEN names a revoked token; it stays revoked. Remove the variable or set a new secret.');
  if (!config.bootstrapAdminToken && (await svc.noApiKeys())) {
    firstOwnerKey = (await svc.createApiKey(SYSTEM, 'first owner key', 'OWNER')).secret;
  }
  return { firstOwnerKey };
}
