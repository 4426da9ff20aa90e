import type { CallerLimits } from '../http/rate-limit.js';
import type { Database } from '../persistence/database.js';
import type { Store } from '../persistence/store.js';
import { DomainError } from '../domain/errors/domain-errors.js';
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
export function requestAuthenticator(db: Database, authenticator: Authenticator, limits: CallerLimits) {
  return async (header: string | undefined, address: string): Promise<RequestAuth> => {
    await limits.checkAddress(address);
    const store = db.store();
    const secret = bearer(header);
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
