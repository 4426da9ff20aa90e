import type { SqlEntityManager } from '@mikro-orm/sql';
import { frag } from './sql/fragment.js';
import { runSql } from './sql/run.js';

/** How often the embedded database vacuums the row-count log. */
export const ROW_COUNT_VACUUM_MS = 60_000;

/**
 * Vacuums `row_count_deltas` (see its migration). Every fold deletes about a thousand rows of it;
 * Postgres's autovacuum reclaims them, but the embedded database runs PostgreSQL in single-user
 * mode, where no autovacuum runs: without this the table would keep growing by every row ever
 * written, and every list total and position check scans it. The table holds at most a few
 * thousand rows, so this takes about a millisecond.
 */
export async function vacuumRowCounts(em: SqlEntityManager): Promise<void> {
  await runSql(em, frag('vacuum row_count_deltas'));
}

/** Vacuums now and then until stopped; a failure is only reported (the next round tries again). */
export function scheduleRowCountVacuum(em: () => SqlEntityManager, onError: (err: unknown) => void): () => void {
  const timer = setInterval(() => void vacuumRowCounts(em()).catch(onError), ROW_COUNT_VACUUM_MS);
  timer.unref();
  return () => clearInterval(timer);
}
