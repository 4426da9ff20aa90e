import { Redis } from 'ioredis';
import { openRateLimitPool } from '../persistence/rate-limit-pool.js';
import { CredentialLeases } from './credential-leases.js';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** A refusal for going over a limit: both protocol boundaries answer it as 429 with Retry-After. */
export class TooManyRequests extends Error {
  override readonly name = 'TooManyRequests';
  readonly status = 429;
  readonly headers: Record<string, string>;
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
    this.headers = { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) };
  }
}

/** The two budgets every caller draws on. */
export interface CallerLimits {
  /** Before any lookup: an address that failed authentication too often is refused without touching the database. */
  checkAddress(address: string): Promise<void>;
  /** Counts a failed (or missing) credential against the address; throws once the address is over. */
  failed(address: string): Promise<void>;
  /** Counts a request of an authenticated credential, whatever the spelling of its header. */
  succeeded(credentialId: string): Promise<void>;
  /** counters kept where every process sees them, or only in this one */
  readonly shared: boolean;
  /** times the shared counters could not be reached and this process counted alone */
  readonly storeFailures: number;
  /** address checks that read the shared store (the others were answered from this process's recent view) */
  readonly addressReads: number;
  /** requests of a credential counted in the shared store in advance, a few at a time (see CredentialLeases) */
  readonly credentialLeases: number;
  /** Resolves once the shared store answers (at most after a few seconds: until then, this process counts alone); false if it did not. */
  ready(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Where the counters live. Memory counts per process (the embedded database is one process);
 * Postgres (the `rate_limits` table, UNLOGGED so counting writes no WAL) and Redis are shared, so
 * that N processes behind a load balancer allow the limit once, not N times.
 */
export type LimitStore = { kind: 'memory' } | { kind: 'postgres'; url: string } | { kind: 'redis'; url: string };

/** The table of the migration `rate_limits` (rate-limiter-flexible's own layout). */
const TABLE = 'rate_limits';

/** A store call slower than this counts in memory instead: a stuck Redis or database must not stall every request. */
const STORE_TIMEOUT_MS = 1000;

/**
 * How long this process trusts what the shared store last said of an address that is NOT blocked.
 * Reading the store before every request was one more round trip per request, even with the
 * per-credential limit off (as the bench runs); failures are still counted in the store at once,
 * and a block this process sees (its own count, or a read) is kept until it ends. So a block made
 * by another process refuses this one's requests at most this late; a failing guess is refused
 * at once everywhere, because counting it answers with the block.
 */
export const ADDRESS_VIEW_MS = 1000;
/** Addresses whose view is kept; the oldest goes first. */
const ADDRESS_VIEWS = 10_000;

const OVER_ADDRESS = 'Too many failed authentications from this address; retry after the number of seconds in Retry-After.';
const OVER_CREDENTIAL = 'Too many requests; retry after the number of seconds in Retry-After.';

/** Limits per credential and per failing address; `0` turns a limit off. */
export function callerLimits(opts: { perCredentialPerMinute: number; failuresPerAddressPerMinute: number; store?: LimitStore }): CallerLimits {
  const backend = openBackend(opts.store ?? { kind: 'memory' });
  let storeFailures = 0;
  const limiter = (keyPrefix: string, points: number, blockDuration?: number): RateLimiterAbstract | undefined => {
    if (points <= 0) return undefined;
    const base = { keyPrefix, points, duration: 60, blockDuration };
    // If the shared store fails, this process goes on counting alone (rate-limiter-flexible's
    // insurance limiter): a Redis outage must not turn into refusing every request, or into no limit.
    const insuranceLimiter = new RateLimiterMemory(base);
    return backend.make({ ...base, insuranceLimiter });
  };
  const perCredential = limiter('cred', opts.perCredentialPerMinute);
  // A blocked address stays blocked for the rest of its window: guessing tokens costs a minute per burst.
  const failures = limiter('fail', opts.failuresPerAddressPerMinute, 60);
  const consume = async (l: RateLimiterAbstract | undefined, key: string, message: string) => {
    if (!l) return;
    try {
      await l.consume(key);
    } catch (res) {
      if (res instanceof RateLimiterRes) throw new TooManyRequests(message, res.msBeforeNext);
      // Only reached when the insurance limiter itself failed, which a memory limiter does not.
      throw res;
    }
  };
  backend.onFailure(() => storeFailures++);
  // In a shared store, a credential's requests are counted a few at a time (see CredentialLeases);
  // in memory, counting each one costs nothing.
  const leases = backend.shared && perCredential ? new CredentialLeases(perCredential, opts.perCredentialPerMinute, (ms) => new TooManyRequests(OVER_CREDENTIAL, ms)) : undefined;

  // What the shared store last said of an address: until when that holds, and whether it was a block.
  const views = new Map<string, { until: number; blocked: boolean }>();
  let addressReads = 0;
  const remember = (address: string, until: number, blocked: boolean) => {
    if (!backend.shared) return;
    views.delete(address);
    if (views.size >= ADDRESS_VIEWS) views.delete(views.keys().next().value!);
    views.set(address, { until, blocked });
  };
  return {
    async checkAddress(address) {
      if (!failures) return;
      const now = Date.now();
      const view = views.get(address);
      if (view && view.until > now) {
        if (view.blocked) throw new TooManyRequests(OVER_ADDRESS, view.until - now);
        return;
      }
      addressReads++;
      const res = await failures.get(address).catch(() => null);
      if (res && res.consumedPoints >= opts.failuresPerAddressPerMinute) {
        remember(address, now + res.msBeforeNext, true);
        throw new TooManyRequests(OVER_ADDRESS, res.msBeforeNext);
      }
      remember(address, now + ADDRESS_VIEW_MS, false);
    },
    async failed(address) {
      try {
        await consume(failures, address, OVER_ADDRESS);
      } catch (err) {
        if (err instanceof TooManyRequests) remember(address, Date.now() + err.retryAfterMs, true);
        throw err;
      }
    },
    succeeded: (credentialId) => (leases ? leases.take(credentialId) : consume(perCredential, credentialId, OVER_CREDENTIAL)),
    shared: backend.shared,
    get credentialLeases() {
      return leases?.taken ?? 0;
    },
    get storeFailures() {
      return storeFailures;
    },
    get addressReads() {
      return addressReads;
    },
    ready: () => backend.ready(),
    close: () => backend.close(),
  };
}

interface Backend {
  shared: boolean;
  make(o: { keyPrefix: string; points: number; duration: number; blockDuration?: number; insuranceLimiter: RateLimiterMemory }): RateLimiterAbstract;
  onFailure(cb: () => void): void;
  ready(): Promise<boolean>;
  close(): Promise<void>;
}

/** How long a start waits for the shared store before counting alone. */
const READY_WAIT_MS = 3000;

function openBackend(store: LimitStore): Backend {
  let failed = () => undefined as void;
  if (store.kind === 'memory') {
    return { shared: false, make: ({ insuranceLimiter: _i, ...o }) => new RateLimiterMemory(o), onFailure: () => undefined, ready: async () => true, close: async () => undefined };
  }
  if (store.kind === 'postgres') {
    const pool = openRateLimitPool(store.url, STORE_TIMEOUT_MS);
    return {
      shared: true,
      make: (o) => withFailureCount(new RateLimiterPostgres({ ...o, storeClient: pool.client, storeType: 'pool', tableName: TABLE, tableCreated: true, clearExpiredByTimeout: true }), () => failed()),
      onFailure: (cb) => (failed = cb),
      ready: () => pool.ready(),
      close: () => pool.close(),
    };
  }
  // The client never queues commands while disconnected: the insurance limiter answers at once instead.
  const redis = new Redis(store.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: STORE_TIMEOUT_MS, connectionName: 'roster-rate-limits' });
  // Connection trouble is retried by the client and shows in the checks that fall back (storeFailures);
  // the listener only keeps an 'error' event from ending the process.
  redis.on('error', () => undefined);
  return {
    shared: true,
    make: (o) => withFailureCount(new RateLimiterRedis({ ...o, storeClient: redis, rejectIfRedisNotReady: true }), () => failed()),
    onFailure: (cb) => (failed = cb),
    ready: () =>
      redis.status === 'ready'
        ? Promise.resolve(true)
        : new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => resolve(false), READY_WAIT_MS);
            redis.once('ready', () => {
              clearTimeout(timer);
              resolve(true);
            });
          }),
    close: async () => {
      redis.disconnect();
    },
  };
}

/** Counts calls that fell through to the insurance limiter (the store threw something other than a verdict). */
function withFailureCount(l: RateLimiterAbstract, failed: () => void): RateLimiterAbstract {
  const insurance = (l as unknown as { insuranceLimiter?: RateLimiterAbstract }).insuranceLimiter;
  if (!insurance) return l;
  for (const method of ['consume', 'get'] as const) {
    const original = insurance[method].bind(insurance) as (...a: unknown[]) => Promise<unknown>;
    (insurance as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      failed();
      return original(...args);
    };
  }
  return l;
}
