import type { Principal } from '../../auth/principal.js';
import type { Store } from '../../persistence/store.js';
import { recordAudit } from '../audit/audit-writer.js';
import { hashSecret } from '../credentials/secrets.js';
import { NotFound } from '../errors/domain-errors.js';
import type { SessionRecord } from './sso-records.js';

/** Idle time is recorded at most this often: a busy console does not write on every request. */
const TOUCH_EVERY_MS = 60_000;

/** Sessions opened by SSO: checked on every request against the database, so that an end is seen by every instance at once. */
export class SessionService {
  constructor(
    private readonly store: Store,
    private readonly idleMs: number,
  ) {}

  /** The principal of a session cookie, or null when the session is unknown, ended, expired, idle too long, or its user deactivated. */
  async authenticate(secret: string): Promise<Principal | null> {
    const s = await this.store.sso.liveSession(hashSecret(secret));
    if (!s || !s.userActive) return null;
    const idle = Date.now() - s.lastSeenAt.getTime();
    if (idle > this.idleMs) {
      await this.store.transaction((tx) => tx.sso.endSession(s.id, 'idle'));
      return null;
    }
    if (idle > TOUCH_EVERY_MS) await this.store.touchSession(s.id);
    return { credentialId: s.id, role: s.role, label: `${s.userName} via sso`, idp: null, session: { id: s.id, userId: s.userId, idp: s.idp } };
  }

  /** Ends the caller's own session (logout). */
  async logout(secret: string, requestId?: string): Promise<boolean> {
    const s = await this.store.sso.liveSession(hashSecret(secret));
    if (!s) return false;
    return this.store.transaction(async (tx) => {
      const ended = await tx.sso.endSession(s.id, 'logout');
      if (ended) {
        await recordAudit(tx, { credentialId: s.id, role: s.role, label: `${s.userName} via sso`, idp: null }, { action: 'sso.logout', resourceType: 'User', resourceId: s.userId }, requestId);
      }
      return !!ended;
    });
  }

  /** An admin ends someone's session. */
  async revoke(actor: Principal, id: string, requestId?: string): Promise<SessionRecord> {
    return this.store.transaction(async (tx) => {
      const ended = await tx.sso.endSession(id, 'revoked');
      if (!ended) {
        if (!(await tx.read.sso.session(id))) throw new NotFound('Session', id);
        return (await tx.read.sso.session(id))!;
      }
      await recordAudit(tx, actor, { action: 'session.revoke', resourceType: 'Session', resourceId: id, changed: [ended.userId] }, requestId);
      return ended;
    });
  }

  list(opts: { userId?: string; includeEnded?: boolean; limit: number }): Promise<SessionRecord[]> {
    return this.store.sso.sessions(opts);
  }
}
