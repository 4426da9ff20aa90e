import { SYSTEM } from '../../src/auth/principal.js';
import { CredentialService } from '../../src/domain/credentials/credential-service.js';
import { CREDENTIALS_CHANNEL } from '../../src/persistence/notifications.js';
import { createTestDatabase } from '../support/db.js';

/**
 * A commit that notifies is heard in its own process at once, before the writer's caller goes on:
 * the LISTEN feed brings it a moment later, and a request in between must not authenticate with a
 * cached credential that was just revoked or suspended.
 */
test('a revocation or deactivation is announced in-process when its transaction commits', async () => {
  const db = await createTestDatabase();
  try {
    const heard: string[] = [];
    db.onCommitNotify((channel) => heard.push(channel));
    const svc = new CredentialService(db.store());
    const issued = await svc.activateProvisioning(SYSTEM, 'okta');
    expect(heard).toEqual([CREDENTIALS_CHANNEL]);
    await svc.revoke(SYSTEM, issued.credential.id);
    expect(heard).toEqual([CREDENTIALS_CHANNEL, CREDENTIALS_CHANNEL]);
    await svc.deactivateProvisioning(SYSTEM, 'okta');
    expect(heard).toHaveLength(3);
  } finally {
    await db.close();
  }
});
