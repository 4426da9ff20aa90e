import DataLoader from 'dataloader';
import type { SqlEntityManager } from '@mikro-orm/sql';
import type { Page } from '../domain/list.js';
import { frag, sendable } from './sql/fragment.js';
import { runSql } from './sql/run.js';

type Row = Record<string, unknown>;

/** Reads of one row by a unique key that can share a statement with other requests' reads. */
export interface BatchedRead {
  /** names the read (reads of the same BatchedRead go together) */
  kind: string;
  /**
   * One statement for many keys: every row carries `_batch_i`, the 1-based position of the key it
   * answers (`with ordinality`), so that each caller gets exactly its rows whatever the keys' case.
   */
  run(em: SqlEntityManager, keys: readonly string[]): Promise<Row[]>;
}

/**
 * The read of `columns` from `table` (alias `r`) by a key that `match` compares with `k.v`: one
 * index probe per key, every row tagged with its key's position. Prepared: its text never changes.
 */
export function keyedRead(kind: string, table: string, columns: (em: SqlEntityManager) => string, match: string): BatchedRead {
  return {
    kind,
    run: (em, keys) =>
      runSql(em, frag(`select ${columns(em)}, k.i as _batch_i from jsonb_array_elements_text(?::jsonb) with ordinality as k(v, i) join ${table} r on ${match}`, [keys]), {
        prepare: true,
      }),
  };
}

/** The first page of a lookup by a unique key: what it found is every match. */
export const lookupPage = <T>(items: T[]): Page<T> => ({ items, offset: 0, totalCount: () => Promise.resolve(items.length) });

/** Most keys in one statement (READ_BATCH_MAX; more wait for the next one); 0: every read is its own. */
export const readBatching = { max: 64 };

/** What `/metrics` reports: reads that went through a batch, and the statements they took. */
export const readBatchStats = { statements: 0, reads: 0 };

/** Loaders by database (the driver: each replica has its own) and read, with the cap they were made with. */
type Loaders = Map<BatchedRead, { max: number; loader: DataLoader<string, Row[]> }>;
const loaders = new WeakMap<object, Loaders>();

/**
 * A read of one row by a unique key (a user by id or userName, a group by id or displayName) that
 * requests arriving together share: every such read issued in one turn of the event loop, by any
 * request, goes to the database as ONE statement at the end of that turn (`setImmediate`, after the
 * sockets read in that turn have all been parsed and routed). A lone read waits for nothing but the
 * end of its own turn. Each statement starts after every read in it was asked for, so each request
 * still sees everything committed before it; a read inside a transaction never comes here.
 */
export function readBatched(em: SqlEntityManager, read: BatchedRead, key: string): Promise<Row[]> {
  const owner = em.getDriver();
  let byRead = loaders.get(owner);
  if (!byRead) loaders.set(owner, (byRead = new Map() as Loaders));
  let entry = byRead.get(read);
  if (!entry || entry.max !== readBatching.max) {
    // The first caller's context is forked: the loader outlives its request.
    const shared = em.fork();
    const loader = new DataLoader<string, Row[]>(
      async (keys) => {
        readBatchStats.statements++;
        readBatchStats.reads += keys.length;
        const rows = await read.run(shared, keys);
        const out: Row[][] = keys.map(() => []);
        // `_batch_i` stays on the row: the mappers read the columns they know by name
        for (const r of rows) out[Number(r._batch_i) - 1]?.push(r);
        return out;
      },
      // No cache: a loader lives as long as the process, and every read must see the database as
      // it is when its statement starts.
      { cache: false, maxBatchSize: readBatching.max, batchScheduleFn: (cb) => setImmediate(cb) },
    );
    byRead.set(read, (entry = { max: readBatching.max, loader }));
  }
  return entry.loader.load(key);
}

/**
 * Whether this read may join a batch: outside a transaction (a batch is its own snapshot), and a
 * key the database takes as a parameter (one refused key would fail every read of its batch).
 */
export const canBatch = (em: SqlEntityManager, key: unknown): key is string => readBatching.max > 0 && typeof key === 'string' && !em.getTransactionContext() && sendable(key);
