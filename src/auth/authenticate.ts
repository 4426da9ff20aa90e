import type { EntityManager } from '@mikro-orm/postgresql';
import { Unauthenticated } from '../domain/errors/domain-errors';
import { hashSecret, sameHash } from '../domain/credentials/secrets';
import type { Role } from '../domain/credentials/credential.entity';
import type { Principal } from './principal';

/** How often lastUsedAt is written per credential: a write per request would double the cost of reads. */
const LAST_USED_EVERY_MS = 60_000;

/**
 * Turns a bearer secret into a Principal with one indexed query (credential joined to its
 * provisioning switch). Revocation and deactivation take effect on the next request: nothing is cached.
 */
export class Authenticator {
  private readonly lastUsedWritten = new Map<string, number>();

  /** Resolves a secret; throws Unauthenticated with a clear reason. */
  async authenticate(em: EntityManager, secret: string | undefined): Promise<Principal> {
    if (!secret) throw new Unauthenticated('Send the credential as "Authorization: Bearer <token>".');
    const hash = hashSecret(secret);
    const rows = await em.execute<{ id: string; role: Role; name: string; idp: string | null; secret_hash: string; revoked_at: Date | null; active: boolean | null }[]>(
      em
        .getKnex()
        .raw(
          'select c.id, c.role, c.name, c.idp, c.secret_hash, c.revoked_at, p.active from credentials c left join provisioning p on p.idp = c.idp where c.secret_hash = ?',
          [hash],
        ),
    );
    const row = rows[0];
    if (!row || !sameHash(row.secret_hash, hash)) throw new Unauthenticated('The credential is not valid.');
    if (row.revoked_at) throw new Unauthenticated('The credential has been revoked.');
    if (row.role === 'PROVISIONER' && !row.active) {
      throw new Unauthenticated(`Provisioning for "${row.idp}" is deactivated in Roster; an admin must activate it again.`);
    }
    this.touch(em, row.id);
    return { credentialId: row.id, role: row.role, label: row.name, idp: row.idp };
  }

  /** Records lastUsedAt at most once a minute per credential, off the request's critical path. */
  private touch(em: EntityManager, id: string): void {
    const now = Date.now();
    if (now - (this.lastUsedWritten.get(id) ?? 0) < LAST_USED_EVERY_MS) return;
    this.lastUsedWritten.set(id, now);
    em.fork()
      .execute(em.getKnex().raw('update credentials set last_used_at = now() where id = ?', [id]))
      .catch(() => this.lastUsedWritten.delete(id));
  }
}

/** Reads the bearer secret of an Authorization header. */
export function bearer(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m?.[1];
}
