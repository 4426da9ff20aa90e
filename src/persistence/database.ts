import type { PGlite } from '@electric-sql/pglite';
import { MikroORM } from '@mikro-orm/core';
import { explainConnectionError } from './connection-errors.js';
import type { SqlEntityManager } from '@mikro-orm/sql';
import { embeddedOptions, openEmbedded } from './embedded.js';
import type { UpgradeLog } from './embedded-upgrade.js';
import type { ListenSource } from './notifications.js';
import { postgresOptions } from './orm-options.js';
import { openReplicas, type ReplicaSet } from './replicas.js';
import { entityTables, scheduleEmbeddedMaintenance } from './embedded-maintenance.js';
import { Store } from './store.js';

/** Where the data lives: a Postgres URL, an embedded folder, memory, or a PGlite opened by the caller (tests). */
export type DatabaseTarget = { url: string } | { dataDir: string | null } | { pglite: PGlite };

/** An initialised database and how to close everything it holds. */
export interface Database {
  kind: 'postgres' | 'embedded';
  /** where NOTIFY channels can be listened to */
  listenSource: ListenSource;
  /** a Store over a fresh unit of work: one per request or command */
  store(): Store;
  /**
   * A Store for reads that may be a few milliseconds stale (GraphQL lists, console screens, audit
   * browsing): a healthy replica's when DATABASE_REPLICA_URLS names any, else the same as store().
   */
  readStore(): Store;
  /** the read replicas, when there are any */
  readonly replicas?: ReplicaSet;
  /** hears the NOTIFY channels of this process's own commits, at once */
  onCommitNotify(listener: (channel: string) => void): () => void;
  /** names of migrations not yet applied */
  pendingMigrations(): Promise<string[]>;
  /** applies pending migrations; returns their names */
  migrate(): Promise<string[]>;
  /** how many migrations have been applied */
  appliedMigrationCount(): Promise<number>;
  close(): Promise<void>;
  /** the ORM, for the persistence layer's own tools (migration authoring, tests of the schema) */
  readonly orm: MikroORM;
}

/** Opens the database; `migrate` applies pending migrations first (always done on the embedded one). */
export async function openDatabase(
  target: DatabaseTarget,
  opts: { migrate: boolean; log?: UpgradeLog; statementTimeoutMs?: number; replicas?: { urls: readonly string[]; maxLagMs: number } },
): Promise<Database> {
  if ('url' in target) {
    let orm: MikroORM | undefined;
    try {
      orm = await MikroORM.init(postgresOptions(target.url, undefined, opts.statementTimeoutMs));
      // Fail here, with one clear line, rather than on the first request.
      await orm.em.fork().getConnection().execute('select 1');
    } catch (err) {
      await orm?.close(true).catch(() => undefined);
      throw explainConnectionError(err, target.url) ?? err;
    }
    const db = wrap(orm, 'postgres', { url: target.url }, () => orm.close(true));
    try {
      if (opts.migrate) await db.migrate();
    } catch (err) {
      await orm.close(true);
      throw err;
    }
    if (!opts.replicas?.urls.length) return db;
    const replicas = openReplicas(opts.replicas.urls, () => db.store(), { maxLagMs: opts.replicas.maxLagMs, statementTimeoutMs: opts.statementTimeoutMs ?? 0 });
    return {
      ...db,
      replicas,
      readStore: () => replicas.readStore(db.store()),
      close: async () => {
        await replicas.close();
        await db.close();
      },
    };
  }
  const embedded = 'pglite' in target ? { pglite: target.pglite, release: () => target.pglite.close() } : await openEmbedded(target.dataDir, opts.log);
  try {
    const orm = await MikroORM.init(embeddedOptions(embedded.pglite));
    let stopMaintenance = () => {};
    const db = wrap(orm, 'embedded', { pglite: embedded.pglite }, async () => {
      stopMaintenance();
      await orm.close(true);
      await embedded.release();
    });
    await db.migrate();
    // Single-user PostgreSQL has no autovacuum: Roster does its work (embedded-maintenance.ts).
    const tables = entityTables(orm);
    stopMaintenance = scheduleEmbeddedMaintenance(
      () => orm.em.fork() as SqlEntityManager,
      tables,
      (err) => opts.log?.warn({ err }, 'vacuum or analyze of the embedded database failed; the next round tries again'),
    );
    return db;
  } catch (err) {
    await embedded.release();
    throw err;
  }
}

function wrap(orm: MikroORM, kind: Database['kind'], listenSource: ListenSource, close: () => Promise<void>): Database {
  const listeners: ((channel: string) => void)[] = [];
  const onCommit = (channel: string) => listeners.forEach((l) => l(channel));
  const fork = () => orm.em.fork() as SqlEntityManager;
  // One fork every request shares for plain SQL outside a transaction: user and group reads, single-statement writes (see Store).
  const sharedPlain = fork();
  return {
    kind,
    listenSource,
    orm,
    store: () => new Store(fork, onCommit, sharedPlain),
    readStore: () => new Store(fork, onCommit, sharedPlain),
    onCommitNotify: (listener) => {
      listeners.push(listener);
      return () => void listeners.splice(listeners.indexOf(listener) >>> 0, 1);
    },
    pendingMigrations: async () => (await orm.migrator.getPending()).map((m) => m.name),
    migrate: async () => (await orm.migrator.up()).map((m) => m.name),
    appliedMigrationCount: async () => (await orm.migrator.getExecuted()).length,
    close,
  };
}
