import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/** A refusal for going over a limit: both protocol boundaries answer it as 429 with Retry-After. */
export class TooManyRequests extends Error {
  override readonly name = 'TooManyRequests';
  readonly status = 429;
  readonly headers: Record<string, string>;
  constructor(message: string, retryAfterMs: number) {
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
}

/** Limits of one process (rate-limiter-flexible, in memory). `0` turns a limit off. */
export function callerLimits(opts: { perCredentialPerMinute: number; failuresPerAddressPerMinute: number }): CallerLimits {
  const perCredential = opts.perCredentialPerMinute > 0 ? new RateLimiterMemory({ keyPrefix: 'cred', points: opts.perCredentialPerMinute, duration: 60 }) : undefined;
  // A blocked address stays blocked for the rest of its window: guessing tokens costs a minute per burst.
  const failures = opts.failuresPerAddressPerMinute > 0 ? new RateLimiterMemory({ keyPrefix: 'fail', points: opts.failuresPerAddressPerMinute, duration: 60, blockDuration: 60 }) : undefined;
  const consume = async (limiter: RateLimiterMemory | undefined, key: string, message: string) => {
    if (!limiter) return;
    try {
      await limiter.consume(key);
    } catch (res) {
      if (res instanceof RateLimiterRes) throw new TooManyRequests(message, res.msBeforeNext);
      throw res;
    }
  };
  return {
    async checkAddress(address) {
      if (!failures) return;
      const res = await failures.get(address);
      if (res && res.consumedPoints >= opts.failuresPerAddressPerMinute) {
        throw new TooManyRequests('Too many failed authentications from this address; retry after the number of seconds in Retry-After.', res.msBeforeNext);
      }
    },
    failed: (address) => consume(failures, address, 'Too many failed authentications from this address; retry after the number of seconds in Retry-After.'),
    succeeded: (credentialId) => consume(perCredential, credentialId, 'Too many requests; retry after the number of seconds in Retry-After.'),
  };
}
