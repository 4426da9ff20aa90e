import type { SqlEntityManager } from '@mikro-orm/sql';
import { frag } from './sql/fragment.js';
import { runSql } from './sql/run.js';

/**
 * Vacuums `row_count_deltas` (see its migration). Every fold deletes about a thousand rows of it;
 * Postgres's autovacuum reclaims them, but the embedded database runs PostgreSQL in single-user
 * mode, where no autovacuum runs: without this the table would keep growing by every row ever
 * written, and every list total and position check scans it. The table holds at most a few
 * thousand rows, so this takes about a millisecond. Run by every round of the embedded database's
 * maintenance (embedded-maintenance.ts).
 */
export async function vacuumRowCounts(em: SqlEntityManager): Promise<void> {
  await runSql(em, frag('vacuum row_count_deltas'));
}

/** One table's count as the log had it and as counted. */
export interface Recount {
  table: 'users' | 'groups';
  logged: number;
  counted: number;
}

/**
 * Rebuilds the log from count(*), for the day rows were loaded with triggers off (a data-only
 * restore with --disable-triggers, session_replication_role = replica): list totals would be off
 * by those rows. Writers wait until it commits (SHARE locks), so the count and the new log agree;
 * the fold row it writes voids every remembered list position.
 */
export async function recountRows(em: SqlEntityManager): Promise<Recount[]> {
  return em.transactional(async (t) => {
    await runSql(t, frag('lock table users, groups in share mode'));
    const out: Recount[] = [];
    for (const table of ['users', 'groups'] as const) {
      const [logged] = await runSql<{ n: string }>(t, frag(`select coalesce(sum(change), 0)::bigint as n from row_count_deltas where resource = ?`, [table]));
      const [counted] = await runSql<{ n: string }>(t, frag(`select count(*)::bigint as n from ${table}`));
      await runSql(t, frag('delete from row_count_deltas where resource = ?', [table]));
      await runSql(t, frag('insert into row_count_deltas (resource, change, folded) values (?, ?, true)', [table, counted.n]));
      out.push({ table, logged: Number(logged.n), counted: Number(counted.n) });
    }
    return out;
  });
}
