import { MikroORM } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/sql';
import type { Pool } from 'pg';
import { DomainError } from '../domain/errors/domain-errors.js';
import { describeUrl } from './connection-errors.js';
import { postgresOptions } from './orm-options.js';
import { withTimeout } from './timeout.js';
import { Store } from './store.js';

/** How often each replica is asked whether it answers and how far behind it is. */
const CHECK_EVERY_MS = 500;
/** A health check that takes longer than this counts as a failure. */
const CHECK_TIMEOUT_MS = 1000;

/**
 * The parts of a Store whose reads may be served by a replica: the directory's lists and the audit
 * and request logs. Credentials and sessions are never among them (a revoked key or an ended
 * session must be refused at once), and neither is anything that writes.
 */
const REPLICA_SIDES = new Set<PropertyKey>(['users', 'groups', 'audit', 'scimRequests']);

/** What /readyz says about one replica. */
export interface ReplicaStatus {
  /** host, port and database: never the password */
  name: string;
  healthy: boolean;
  /** how far behind the primary it was at the last check, at most; null until it answered once */
  lagMs: number | null;
  /** why it serves no reads, when it does not */
  reason?: string;
}

/** Read replicas of the primary, each checked twice a second, and the way reads reach them. */
export interface ReplicaSet {
  /**
   * A store whose list reads go to a healthy replica (round robin) and fall back to `primary` when
   * none is healthy or the replica fails mid-read; every other use of it is the primary store.
   */
  readStore(primary: Store): Store;
  status(): ReplicaStatus[];
  /** reads served by a replica */
  readonly reads: number;
  /** reads meant for a replica that the primary served (none healthy, or the replica failed) */
  readonly fallbacks: number;
  close(): Promise<void>;
}

interface Replica {
  name: string;
  url: string;
  orm?: MikroORM;
  healthy: boolean;
  lagMs: number | null;
  reason?: string;
}

/** The primary's WAL position over time, to turn a replica's replay position into a lag in milliseconds. */
interface WalSample {
  at: number;
  lsn: bigint;
}

/** Opens the replicas without connecting: one that is down at start only serves no reads until it answers. */
export function openReplicas(urls: readonly string[], primary: () => Store, opts: { maxLagMs: number; statementTimeoutMs: number; poolMax?: number }): ReplicaSet {
  const replicas: Replica[] = urls.map((url) => ({ name: describeUrl(url), url, healthy: false, lagMs: null, reason: 'not checked yet' }));
  const samples: WalSample[] = [];
  let reads = 0;
  let fallbacks = 0;
  let next = 0;
  let closed = false;

  const markDown = (r: Replica, reason: string) => {
    r.healthy = false;
    r.reason = reason;
  };

  const ormOf = async (r: Replica): Promise<MikroORM> => {
    if (r.orm) return r.orm;
    const orm = await MikroORM.init(postgresOptions(r.url, opts.poolMax ?? 10, opts.statementTimeoutMs));
    // A replica that stops closes its pooled connections: the pool must hear it, not crash the process.
    const pool = (await orm.em.getConnection().getNativeClient()) as Pool;
    pool.on('error', (err) => markDown(r, `connection lost: ${err.message}`));
    r.orm = orm;
    return orm;
  };

  const check = async () => {
    const now = Date.now();
    try {
      samples.push({ at: now, lsn: parseLsn(await primary().walPosition()) });
      const keep = Math.max(10, Math.ceil((2 * opts.maxLagMs) / CHECK_EVERY_MS) + 2);
      if (samples.length > keep) samples.splice(0, samples.length - keep);
    } catch {
      // the primary's own health is /readyz's business; without a sample, lag is judged on the last ones
    }
    await Promise.all(
      replicas.map(async (r) => {
        try {
          const orm = await withTimeout(ormOf(r), CHECK_TIMEOUT_MS);
          const state = await withTimeout(new Store(orm.em.fork() as SqlEntityManager).replayState(), CHECK_TIMEOUT_MS);
          // a "replica" that is not in recovery is a primary itself: never behind
          const lag = state.standby && state.lsn ? lagOf(samples, parseLsn(state.lsn), Date.now()) : 0;
          r.lagMs = lag;
          if (lag > opts.maxLagMs) markDown(r, `lagging ${lag} ms behind the primary (DATABASE_REPLICA_MAX_LAG_MS is ${opts.maxLagMs})`);
          else {
            r.healthy = true;
            r.reason = undefined;
          }
        } catch (err) {
          markDown(r, `unreachable: ${(err as Error).message}`);
        }
      }),
    );
  };

  let timer: NodeJS.Timeout | undefined;
  const loop = () => {
    if (closed) return;
    void check().finally(() => {
      if (!closed) timer = setTimeout(loop, CHECK_EVERY_MS).unref();
    });
  };
  loop();

  const pick = (): Replica | undefined => {
    const healthy = replicas.filter((r) => r.healthy && r.orm);
    if (!healthy.length) return undefined;
    return healthy[next++ % healthy.length];
  };

  return {
    readStore(primaryStore) {
      const replica = pick();
      if (!replica) {
        return countingFallbacks(primaryStore, () => fallbacks++);
      }
      const replicaStore = new Store(replica.orm!.em.fork() as SqlEntityManager);
      return routed(replicaStore, primaryStore, {
        served: () => reads++,
        failed: (err) => {
          fallbacks++;
          markDown(replica, `a read failed: ${(err as Error).message}`);
        },
      });
    },
    status: () => replicas.map(({ name, healthy, lagMs, reason }) => ({ name, healthy, lagMs, ...(reason ? { reason } : {}) })),
    get reads() {
      return reads;
    },
    get fallbacks() {
      return fallbacks;
    },
    close: async () => {
      closed = true;
      clearTimeout(timer);
      for (const r of replicas) await r.orm?.close(true).catch(() => undefined);
    },
  };
}

/**
 * The replica's list sides, each call falling back to the same call on the primary when the
 * replica fails for any reason but a domain error (which the primary would give too): a replica
 * stopped mid-request costs the caller nothing but a few milliseconds.
 */
function routed(replica: Store, primary: Store, on: { served: () => void; failed: (err: unknown) => void }): Store {
  const sides = new Map<PropertyKey, object>();
  const side = (prop: PropertyKey): object => {
    const onReplica = Reflect.get(replica, prop) as Record<PropertyKey, unknown>;
    const onPrimary = Reflect.get(primary, prop) as Record<PropertyKey, unknown>;
    return new Proxy(onReplica, {
      get(target, method) {
        const fn: unknown = Reflect.get(target, method, target);
        if (typeof fn !== 'function') return fn;
        return async (...args: unknown[]): Promise<unknown> => {
          try {
            const result: unknown = await Reflect.apply(fn as (...a: unknown[]) => unknown, target, args);
            on.served();
            return result;
          } catch (err) {
            if (err instanceof DomainError) throw err;
            on.failed(err);
            return Reflect.apply(onPrimary[method] as (...a: unknown[]) => unknown, onPrimary, args);
          }
        };
      },
    });
  };
  return new Proxy(primary, {
    get(target, prop) {
      if (REPLICA_SIDES.has(prop)) {
        let s = sides.get(prop);
        if (!s) sides.set(prop, (s = side(prop)));
        return s;
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The primary store, counting each list read as a fallback (no replica was healthy). */
function countingFallbacks(primary: Store, fallback: () => void): Store {
  return new Proxy(primary, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (REPLICA_SIDES.has(prop) && typeof value === 'object' && value !== null) {
        return new Proxy(value, {
          get(side, method) {
            const fn: unknown = Reflect.get(side, method, side);
            if (typeof fn !== 'function') return fn;
            return (...args: unknown[]): unknown => {
              fallback();
              return Reflect.apply(fn as (...a: unknown[]) => unknown, side, args);
            };
          },
        });
      }
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** Milliseconds the replica is behind, at most: since the last primary sample it had not yet replayed. */
export function lagOf(samples: readonly WalSample[], replayed: bigint, now: number): number {
  let behindSince: number | undefined;
  for (let i = samples.length - 1; i >= 0; i--) {
    if (samples[i].lsn <= replayed) break;
    behindSince = i > 0 ? samples[i - 1].at : samples[i].at - CHECK_EVERY_MS;
  }
  return behindSince === undefined ? 0 : Math.max(0, now - behindSince);
}

/** A WAL position `16/B374D848` as a number of bytes. */
export function parseLsn(lsn: string): bigint {
  const [hi, lo] = lsn.split('/');
  return (BigInt(`0x${hi}`) << 32n) + BigInt(`0x${lo}`);
}
