import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** Most requests of one credential a process counts in the shared store at once, in advance. */
export const LEASE_MAX = 64;
/** A lease takes at most this share of what the store says is left of the window. */
const LEASE_SHARE = 8;
/** Credentials whose lease is kept; the oldest goes first. */
const LEASES = 10_000;

/** What a process holds of one credential's window: requests counted in the store and not yet used. */
interface Lease {
  left: number;
  /** when the store's window ends (unused requests are dropped then: they were counted in that window) */
  until: number;
  /** the window's count as the store last said it, this process's lease included */
  consumed: number;
  /** refused until then (the window is used up) */
  blockedUntil: number;
  taking?: Promise<void>;
}

/**
 * Per-credential counting in a shared store without a round trip per request. A process counts a
 * few requests of a credential in the store at once, in advance (one `consume` of k points: up to
 * LEASE_MAX, at most 1/LEASE_SHARE of what the store says is left), then lets that many through
 * without asking. Near the limit k falls to 1, so the last requests of a window are counted one by
 * one, as before.
 *
 * Never more than the limit between all processes: every request let through was counted in the
 * store first. A lease the store refuses in part (another process took the rest) is cut to what
 * was left before it: the store's count after it, less k, is what it held before, atomically. What
 * a lease costs is the other way: requests counted but not used before the window ends (at most a
 * lease per process) are lost to the credential for that window.
 *
 * Why not per request, as the library does: with a shared store each request paid one more round
 * trip and an upsert (0.14–0.29 ms of CPU, a quarter of the throughput of two processes; see the
 * README's "Two processes on one Postgres"). The library spares the store only the requests of a
 * key already over its limit (inMemoryBlockOnConsumed); it cannot count allowed ones a few at a time.
 */
export class CredentialLeases {
  private readonly leases = new Map<string, Lease>();
  taken = 0;

  constructor(
    private readonly limiter: RateLimiterAbstract,
    private readonly points: number,
    /** the refusal to throw, given how long until the window ends */
    private readonly refusal: (msBeforeNext: number) => Error,
  ) {}

  async take(key: string): Promise<void> {
    for (;;) {
      const now = Date.now();
      const lease = this.leaseOf(key, now);
      if (lease.blockedUntil > now) throw this.refusal(lease.blockedUntil - now);
      if (lease.left > 0 && lease.until > now) {
        lease.left--;
        return;
      }
      lease.taking ??= this.renew(key, lease).finally(() => (lease.taking = undefined));
      await lease.taking;
    }
  }

  private leaseOf(key: string, now: number): Lease {
    let lease = this.leases.get(key);
    if (!lease) {
      if (this.leases.size >= LEASES) this.leases.delete(this.leases.keys().next().value!);
      this.leases.set(key, (lease = { left: 0, until: 0, consumed: 0, blockedUntil: 0 }));
    }
    if (lease.until <= now) {
      // a new window: what was left of the old one was counted there
      lease.left = 0;
      lease.consumed = 0;
    }
    return lease;
  }

  private async renew(key: string, lease: Lease): Promise<void> {
    const k = Math.max(1, Math.min(LEASE_MAX, Math.floor((this.points - lease.consumed) / LEASE_SHARE)));
    this.taken++;
    try {
      const res = await this.limiter.consume(key, k);
      Object.assign(lease, { left: k, consumed: res.consumedPoints, until: Date.now() + res.msBeforeNext });
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      // Refused: the store counted k over what it held before; what it held was below the limit by `rest`.
      const rest = Math.max(0, Math.min(k, this.points - (err.consumedPoints - k)));
      const until = Date.now() + err.msBeforeNext;
      Object.assign(lease, { left: rest, consumed: err.consumedPoints, until });
      // Once those are used, the window is: refused until it ends, without asking the store.
      if (rest === 0) lease.blockedUntil = until;
    }
  }
}
