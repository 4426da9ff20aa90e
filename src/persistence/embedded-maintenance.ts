import type { MikroORM } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/sql';
import { vacuumRowCounts } from './row-counts.js';
import { frag } from './sql/fragment.js';
import { runSql } from './sql/run.js';

/** How often the embedded database looks after its tables. */
export const EMBEDDED_MAINTENANCE_MS = 60_000;

/**
 * Postgres's autovacuum rules (its default settings): a table is vacuumed once its dead rows
 * exceed 50 + 20 % of its live rows, and analysed once the rows changed since its last analysis
 * exceed 50 + 10 %.
 */
const VACUUM = { base: 50, share: 0.2 };
const ANALYZE = { base: 50, share: 0.1 };

/** What one round did to a table. */
export interface TableCare {
  table: string;
  vacuumed: boolean;
  analysed: boolean;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** The tables of the ORM's entities: what a round looks after. */
export function entityTables(orm: MikroORM): string[] {
  return [...new Set([...orm.getMetadata().getAll().values()].map((m) => m.tableName))].filter((t): t is string => typeof t === 'string');
}

/**
 * One round of what autovacuum would do, for the embedded database: PGlite runs PostgreSQL in
 * single-user mode, where no autovacuum runs. Without it, nothing ever reclaims the rows that
 * updates and deletes leave behind (every profile push rewrites users, every membership change
 * bumps a group's version, sessions are touched on each use), and nothing ever gathers the planner's
 * statistics: after an IdP's first import of 50,000 users the planner would still plan as for an
 * empty directory. The tables are the ORM's own (`tables`, names known at build time, quoted);
 * the row-count log is vacuumed every round (readers scan it; it is tiny).
 *
 * The engine has one connection: a round holds up requests while it works, which is why it only
 * touches tables past the thresholds above.
 */
export async function maintainEmbedded(em: SqlEntityManager, tables: readonly string[]): Promise<TableCare[]> {
  await vacuumRowCounts(em);
  // This connection's own row counts reach the statistics at most once a second; a round reads them now.
  await runSql(em, frag('select pg_stat_force_next_flush()'));
  const names = tables.filter((t) => IDENTIFIER.test(t) && t !== 'row_count_deltas');
  const stats = await runSql<{ table: string; live: string; dead: string; changed: string }>(
    em,
    frag(
      `select relname as "table", n_live_tup as live, n_dead_tup as dead, n_mod_since_analyze as changed ` +
        `from pg_stat_user_tables where schemaname = current_schema() and relname in (select jsonb_array_elements_text(?::jsonb)) order by relname`,
      [names],
    ),
  );
  const done: TableCare[] = [];
  for (const s of stats) {
    const live = Number(s.live);
    const vacuum = Number(s.dead) > VACUUM.base + VACUUM.share * live;
    const analyse = Number(s.changed) > ANALYZE.base + ANALYZE.share * live;
    if (!vacuum && !analyse) continue;
    // The name is one of the ORM's table names, checked above: an identifier, quoted.
    await runSql(em, frag(`${vacuum ? (analyse ? 'vacuum (analyze)' : 'vacuum') : 'analyze'} "${s.table}"`));
    done.push({ table: s.table, vacuumed: vacuum, analysed: analyse });
  }
  return done;
}

/** Runs `maintainEmbedded` every `everyMs` until stopped; a failing round is only reported (the next one tries again). */
export function scheduleEmbeddedMaintenance(em: () => SqlEntityManager, tables: readonly string[], onError: (err: unknown) => void, everyMs = EMBEDDED_MAINTENANCE_MS): () => void {
  let running = false;
  const timer = setInterval(() => {
    // One round at a time: a long vacuum must not have the next round queue behind it.
    if (running) return;
    running = true;
    // Started inside a promise so that even a synchronous throw (a closed database) reaches onError, not the process.
    void Promise.resolve()
      .then(() => maintainEmbedded(em(), tables))
      .catch(onError)
      .finally(() => (running = false));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
