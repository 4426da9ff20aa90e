import { randomBytes } from 'node:crypto';
import type { Principal } from '../../auth/principal.js';
import type { Store } from '../../persistence/store.js';
import type { LiveSession } from '../../persistence/sso/sso-store.js';
import { recordAudit } from '../audit/audit-writer.js';
import { hashSecret, sameHash } from '../credentials/secrets.js';
import { NotFound, Unauthenticated } from '../errors/domain-errors.js';
import { newId } from '../ids.js';
import type { SessionRecord, SessionRole } from './sso-records.js';

/** Idle time is recorded at most this often: a busy console does not write on every request. */
const TOUCH_EVERY_MS = 60_000;

const principalOf = (s: LiveSession): Principal => ({
  credentialId: s.id,
  role: s.role,
  label: s.userId ? `${s.name} via sso` : `${s.name} (console)`,
  idp: null,
  session: { id: s.id, userId: s.userId, idp: s.idp },
});

/**
 * Browser sessions: opened by SSO, or by exchanging an API key once at the console's sign-in (the
 * key never stays in the browser). Checked on every request against the database, so that an end
 * (logout, revocation, the user's deactivation, the key's revocation) is seen by every instance at once.
 */
export class SessionService {
  constructor(
    private readonly store: Store,
    private readonly idleMs: number,
  ) {}

  /** The principal of a session cookie, or null when the session is unknown, ended, expired, idle too long, or no longer usable. */
  async authenticate(secret: string): Promise<Principal | null> {
    const s = await this.store.sso.liveSession(hashSecret(secret));
    if (!s || !s.usable) return null;
    const idle = Date.now() - s.lastSeenAt.getTime();
    if (idle > this.idleMs) {
      await this.store.transaction((tx) => tx.sso.endSession(s.id, 'idle'));
      return null;
    }
    if (idle > TOUCH_EVERY_MS) await this.store.touchSession(s.id);
    return principalOf(s);
  }

  /** Exchanges an API key for a console session with the key's role; returns the cookie secret. SCIM tokens are refused. */
  async openWithApiKey(key: string, opts: { maxMs: number; address: string | null; userAgent: string | null; requestId?: string }): Promise<{ secret: string; session: SessionRecord }> {
    const hash = hashSecret(key);
    const c = await this.store.credentials.forAuth(hash);
    if (!c || c.revoked || !sameHash(c.secretHash, hash) || c.role === 'PROVISIONER' || c.role === 'USER')
      throw new Unauthenticated('That is not a valid API key (SCIM tokens cannot sign in to the console).');
    const secret = randomBytes(32).toString('base64url');
    const id = newId();
    const role = c.role as SessionRole;
    await this.store.transaction(async (tx) => {
      await tx.sso.insertSession({
        id,
        secretHash: hashSecret(secret),
        userId: null,
        credentialId: c.id,
        idp: 'api_key',
        role,
        expiresAt: new Date(Date.now() + opts.maxMs),
        address: opts.address,
        userAgent: opts.userAgent,
      });
      await recordAudit(tx, { credentialId: c.id, role, label: c.name, idp: null }, { action: 'console.sign_in', resourceType: 'Session', resourceId: id, changed: [role] }, opts.requestId);
    });
    return { secret, session: (await this.store.sso.session(id))! };
  }

  /** Ends the caller's own session (logout). */
  async logout(secret: string, requestId?: string): Promise<boolean> {
    const s = await this.store.sso.liveSession(hashSecret(secret));
    if (!s) return false;
    return this.store.transaction(async (tx) => {
      const ended = await tx.sso.endSession(s.id, 'logout');
      if (ended) await recordAudit(tx, principalOf(s), { action: 'sso.logout', resourceType: s.userId ? 'User' : 'Session', resourceId: s.userId ?? s.id }, requestId);
      return !!ended;
    });
  }

  /** An admin ends someone's session. */
  async revoke(actor: Principal, id: string, requestId?: string): Promise<SessionRecord> {
    return this.store.transaction(async (tx) => {
      const ended = await tx.sso.endSession(id, 'revoked');
      if (!ended) {
        const existing = await tx.read.sso.session(id);
        if (!existing) throw new NotFound('Session', id);
        return existing;
      }
      await recordAudit(tx, actor, { action: 'session.revoke', resourceType: 'Session', resourceId: id, changed: ended.userId ? [ended.userId] : [] }, requestId);
      return ended;
    });
  }

  list(opts: { userId?: string; includeEnded?: boolean; limit: number }): Promise<SessionRecord[]> {
    return this.store.sso.sessions(opts);
  }
}
