import type { SqlEntityManager } from '@mikro-orm/sql';
import { openDatabase, type Database } from '../../src/persistence/database.js';
import { createPglite } from '../../src/persistence/embedded.js';
import { entityTables, maintainEmbedded, scheduleEmbeddedMaintenance } from '../../src/persistence/embedded-maintenance.js';
import { querySql } from '../support/sql.js';

/**
 * The embedded database's stand-in for autovacuum (single-user PostgreSQL has none): tables past
 * autovacuum's thresholds are vacuumed and analysed, the others left alone. Always on the embedded
 * database, whatever DATABASE_URL says: only the embedded database schedules it.
 */
let db: Database;
let tables: string[];
beforeAll(async () => {
  db = await openDatabase({ pglite: await createPglite(null) }, { migrate: true });
  tables = entityTables(db.orm);
  expect(tables).toEqual(expect.arrayContaining(['users', 'groups', 'memberships', 'audit_events', 'sessions']));
});
afterAll(() => db.close());

const em = () => db.orm.em.fork() as SqlEntityManager;
interface Stats {
  vacuums: number;
  analyses: number;
  dead: number;
  changed: number;
}
async function statsOf(table: string): Promise<Stats> {
  // the connection's counts reach the statistics at most once a second, unless asked
  await querySql(db, 'select pg_stat_force_next_flush()');
  const [r] = await querySql<Record<keyof Stats, string>>(
    db,
    `select vacuum_count as vacuums, analyze_count as analyses, n_dead_tup as dead, n_mod_since_analyze as changed from pg_stat_user_tables where relname = ?`,
    [table],
  );
  return { vacuums: Number(r.vacuums), analyses: Number(r.analyses), dead: Number(r.dead), changed: Number(r.changed) };
}

test('a table past the thresholds is analysed after an import and vacuumed after rewrites; the others are left alone', async () => {
  await querySql(db, `insert into users (id, user_name, created_at, updated_at) select gen_random_uuid(), 'm' || n || '@example.com', now(), now() from generate_series(1, 500) n`);
  const imported = await statsOf('users');
  expect(imported.changed).toBeGreaterThanOrEqual(500);

  const first = await maintainEmbedded(em(), tables);
  expect(first).toContainEqual({ table: 'users', vacuumed: false, analysed: true });
  // groups saw nothing: not touched
  expect(first.map((t) => t.table)).not.toContain('groups');
  const analysed = await statsOf('users');
  expect(analysed.analyses).toBe(imported.analyses + 1);
  expect(analysed.changed).toBe(0);
  // the planner now knows the table's size and its columns
  const [size] = await querySql<{ n: number }>(db, `select reltuples::int as n from pg_class where relname = 'users'`);
  expect(size.n).toBe(500);
  const [columns] = await querySql<{ n: number }>(db, `select count(*)::int as n from pg_stats where tablename = 'users'`);
  expect(columns.n).toBeGreaterThan(0);

  // a profile push rewriting every user, twice: dead rows past 50 + 20 % of the live ones
  for (const title of ['a', 'b']) await querySql(db, `update users set title = ? where user_name like 'm%@example.com'`, [title]);
  expect((await statsOf('users')).dead).toBeGreaterThan(150);
  const second = await maintainEmbedded(em(), tables);
  expect(second).toContainEqual({ table: 'users', vacuumed: true, analysed: true });
  const vacuumed = await statsOf('users');
  expect(vacuumed.vacuums).toBe(analysed.vacuums + 1);
  expect(vacuumed.dead).toBe(0);

  // nothing changed since: nothing to do but the row-count log
  expect(await maintainEmbedded(em(), tables)).toEqual([]);
});

test('the schedule runs a round every interval until stopped, and a failing round is reported, not thrown', async () => {
  const rounds = async () => (await statsOf('row_count_deltas')).vacuums;
  const before = await rounds();
  const errors: unknown[] = [];
  const stop = scheduleEmbeddedMaintenance(em, tables, (err) => errors.push(err), 50);
  try {
    for (let i = 0; i < 200 && (await rounds()) < before + 2; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await rounds()).toBeGreaterThanOrEqual(before + 2);
  } finally {
    stop();
  }
  // a round already under way when stop() was called may still finish: give it time (a loaded CI machine)
  await new Promise((r) => setTimeout(r, 1000));
  const stopped = await rounds();
  await new Promise((r) => setTimeout(r, 300));
  expect(await rounds()).toBe(stopped);
  expect(errors).toEqual([]);

  const failures: unknown[] = [];
  const stopFailing = scheduleEmbeddedMaintenance(
    () => {
      throw new Error('the database is closed');
    },
    tables,
    (err) => failures.push(err),
    20,
  );
  await new Promise((r) => setTimeout(r, 150));
  stopFailing();
  expect(failures.length).toBeGreaterThanOrEqual(2);
  expect(failures[0]).toEqual(new Error('the database is closed'));
});
