import type { CallerLimits } from '../http/rate-limit.js';
import type { Database } from '../persistence/database.js';
import type { Store } from '../persistence/store.js';
import { DomainError, Unauthenticated } from '../domain/errors/domain-errors.js';
import { SessionService } from '../domain/sso/session-service.js';
import { Authenticator, bearer } from './authenticate.js';
import type { Principal } from './principal.js';

/** Who is calling, on which store; `authError` says why a presented credential was refused. */
export interface RequestAuth {
  store: Store;
  principal: Principal | null;
  authError?: DomainError;
}

/**
 * Resolves a request's caller once, before its body is read, and applies the limits: an address
 * with too many failures is refused before any lookup; a refused or missing credential counts
 * against the address; an accepted one counts against the credential itself, so that writing the
 * same token another way (`bearer`, a tab, a trailing space) draws on the same budget.
 */
export function requestAuthenticator(db: Database, authenticator: Authenticator, limits: CallerLimits, sessionIdleMs: number) {
  /** `sessionSecret`: the SSO session cookie, accepted where a route allows it (GraphQL) when no Authorization header is sent. */
  return async (header: string | undefined, address: string, sessionSecret?: string): Promise<RequestAuth> => {
    await limits.checkAddress(address);
    const store = db.store();
    const secret = bearer(header);
    if (!secret && !header && sessionSecret) {
      // Sessions are read from the database on every request (no cache): an ended session is refused at once, on every instance.
      const principal = await new SessionService(store, sessionIdleMs).authenticate(sessionSecret);
      if (principal) {
        await limits.succeeded(principal.credentialId);
        return { store, principal };
      }
      await limits.failed(address);
      return { store, principal: null, authError: new Unauthenticated('Your session has ended: sign in again.') };
    }
    if (!secret) {
      await limits.failed(address);
      return { store, principal: null };
    }
    try {
      const principal = await authenticator.authenticate(store, secret);
      await limits.succeeded(principal.credentialId);
      return { store, principal };
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      await limits.failed(address);
      return { store, principal: null, authError: err };
    }
  };
}
