import type { Store } from '../persistence/store.js';

/** A GraphQL request ran past its deadline; it is answered QUERY_TIMEOUT and does no more reads. */
export class QueryTimeout extends Error {
  override readonly name = 'QueryTimeout';
  constructor(readonly timeoutMs: number) {
    super(`The query did not finish within ${timeoutMs} ms and was stopped. Ask for smaller pages or fewer fields.`);
  }
}

/**
 * Most reads one GraphQL request has in flight at once. A query that fans out (members of each of
 * a thousand groups) queues behind this instead of taking every connection of the pool, and what
 * is still queued at the deadline never runs.
 */
export const READS_IN_FLIGHT = 4;

/** The store's read sides: every method of these returns a promise (one or more SQL statements). */
const READ_SIDES = new Set<PropertyKey>(['users', 'groups', 'credentials', 'audit', 'sso', 'scimRequests']);

/** A counting semaphore: `acquire` resolves once one of `size` slots is free. */
function slots(size: number) {
  let free = size;
  const waiting: (() => void)[] = [];
  return {
    async acquire(): Promise<void> {
      if (free > 0) {
        free--;
        return;
      }
      await new Promise<void>((resolve) => waiting.push(resolve));
    },
    release(): void {
      const next = waiting.shift();
      if (next) next();
      else free++;
    },
  };
}

/**
 * The same store, except that its reads run at most READS_IN_FLIGHT at a time and refuse to start
 * once `at` (epoch ms) has passed: the resolvers and loaders of a request that ran out of time stop
 * reaching the database, so its execution winds down within a few statements instead of running on.
 * Transactions are left alone: a write that has started finishes (or rolls back) as a whole.
 */
export function storeWithDeadline(store: Store, at: number, timeoutMs: number): Store {
  const gate = slots(READS_IN_FLIGHT);
  const guard = <T extends object>(side: T): T =>
    new Proxy(side, {
      get(target, prop) {
        const value: unknown = Reflect.get(target, prop, target);
        if (typeof value !== 'function') return value;
        return async (...args: unknown[]): Promise<unknown> => {
          await gate.acquire();
          try {
            if (Date.now() > at) throw new QueryTimeout(timeoutMs);
            return await Reflect.apply(value, target, args);
          } finally {
            gate.release();
          }
        };
      },
    });
  const sides = new Map<PropertyKey, object>();
  return new Proxy(store, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (READ_SIDES.has(prop) && typeof value === 'object' && value !== null) {
        let side = sides.get(prop);
        if (!side) sides.set(prop, (side = guard(value)));
        return side;
      }
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
