import { Pool } from 'pg';

/**
 * The connections rate-limit counting uses on the primary: a small pool of its own, so that
 * counting never waits behind the requests' queries, with short timeouts, so that a database in
 * trouble sends counting to the per-process insurance limiter instead of stalling requests.
 */
export interface RateLimitPool {
  /** what rate-limiter-flexible's Postgres limiter takes as its `storeClient` (storeType 'pool') */
  readonly client: object;
  /** true once the migrated `rate_limits` table answers */
  ready(): Promise<boolean>;
  close(): Promise<void>;
}

export function openRateLimitPool(url: string, timeoutMs: number): RateLimitPool {
  const pool = new Pool({ connectionString: url, max: 4, application_name: 'roster-rate-limits', connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
  // An idle connection the server closed is reported here; without a listener it would end the
  // process. The pool makes a new one on the next check; failed checks are counted by the caller.
  pool.on('error', () => undefined);
  return {
    client: pool,
    ready: () =>
      pool.query('select 1 from rate_limits limit 0').then(
        () => true,
        () => false,
      ),
    close: () => pool.end(),
  };
}
