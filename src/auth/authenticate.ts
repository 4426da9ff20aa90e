import { Unauthenticated } from '../domain/errors/domain-errors.js';
import { hashSecret, sameHash } from '../domain/credentials/secrets.js';
import type { Store } from '../persistence/store.js';
import type { Principal } from './principal.js';

/** How often lastUsedAt is written per credential: a write per request would double the cost of reads. */
const LAST_USED_EVERY_MS = 60_000;

/** Most credentials the cache holds; beyond it, the oldest entries go. */
const CACHE_MAX = 10_000;
/** A cached principal is re-read at least this often, even without a notification. */
const CACHE_TTL_MS = 60_000;

/** What tells the cache that it may be used and when it must be dropped. */
export interface InvalidationFeed {
  readonly live: boolean;
}

/**
 * Turns a bearer secret into a Principal with one indexed query (credential joined to its
 * provisioning switch). Valid principals are cached only while a LISTEN on the credentials channel
 * is live: every revoke, rotation and (de)activation NOTIFYs on commit and empties the cache, and a
 * generation counter keeps a lookup that raced a change from caching what it read before it.
 */
export class Authenticator {
  private readonly lastUsedWritten = new Map<string, number>();
  private readonly cache = new Map<string, { principal: Principal; at: number }>();
  private generation = 0;
  /** credential lookups that reached the database (the cache and the address limit spare the rest) */
  lookups = 0;
  private feed: InvalidationFeed | undefined;

  /** Uses `feed` to decide whether caching is safe; call `invalidate` on its every event. */
  attach(feed: InvalidationFeed): void {
    this.feed = feed;
  }

  /** Drops every cached principal (a credential or provisioning changed, or the feed was interrupted). */
  invalidate(): void {
    this.generation++;
    this.cache.clear();
  }

  /** Resolves a secret; throws Unauthenticated with a clear reason. */
  async authenticate(store: Store, secret: string | undefined): Promise<Principal> {
    if (!secret) throw new Unauthenticated('Send the credential as "Authorization: Bearer <token>".');
    const hash = hashSecret(secret);
    const cached = this.feed?.live ? this.cache.get(hash) : undefined;
    if (cached && Date.now() - cached.at < CACHE_TTL_MS) {
      this.touch(store, cached.principal.credentialId);
      return cached.principal;
    }
    const generation = this.generation;
    this.lookups++;
    const row = await store.credentials.forAuth(hash);
    if (!row || !sameHash(row.secretHash, hash)) throw new Unauthenticated('The credential is not valid.');
    if (row.revoked) throw new Unauthenticated('The credential has been revoked.');
    if (row.role === 'PROVISIONER' && !row.provisioningActive) {
      throw new Unauthenticated(`Provisioning for "${row.idp}" is deactivated in Roster; an admin must activate it again.`);
    }
    this.touch(store, row.id);
    const principal: Principal = { credentialId: row.id, role: row.role, label: row.name, idp: row.idp };
    if (this.feed?.live && generation === this.generation) {
      if (this.cache.size >= CACHE_MAX) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(hash, { principal, at: Date.now() });
    }
    return principal;
  }

  /** Records lastUsedAt at most once a minute per credential, off the request's critical path. */
  private touch(store: Store, id: string): void {
    const now = Date.now();
    if (now - (this.lastUsedWritten.get(id) ?? 0) < LAST_USED_EVERY_MS) return;
    this.lastUsedWritten.set(id, now);
    store.credentials.touch(id).catch(() => this.lastUsedWritten.delete(id));
  }
}

/** Reads the bearer secret of an Authorization header. */
export function bearer(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m?.[1];
}
