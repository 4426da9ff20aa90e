import type { SqlEntityManager } from '@mikro-orm/sql';
import { MAX_PAGE, type ListParams, type Page } from '../domain/list.js';
import { resourceTable, type ResourceKind } from './filter/attribute-table.js';
import { compileOrder } from './filter/sort.js';
import { compileFilter } from './filter/sql-compiler.js';
import { anchorSettings, anchorsBuilding, requestAnchors } from './list-anchors.js';
import { forgetPositions, nearestPosition, POSITION_HOLDS, positionHoldsValues, positionStats, rememberPositions, ROW_TOTAL, type Position } from './list-positions.js';
import { frag, type SqlFragment } from './sql/fragment.js';
import { runSql } from './sql/run.js';

/**
 * From this many rows to skip on, a page of the walk finds its first row in the (created_at, id)
 * index alone, instead of reading the skipped rows and discarding them: LIMIT/OFFSET evaluates
 * every selected column of a skipped row, a user's groups included. Two processes behind a load
 * balancer each see every other page of a walk, so each skips the other's 100 rows.
 */
const SEEK_AFTER = 2;

type Row = Record<string, unknown>;

/** Runs one filtered, ordered, paged select over a resource table: one query, plus one count if asked. */
export async function listRows<T>(em: SqlEntityManager, resource: ResourceKind, columns: string, map: (row: Row) => T, p: ListParams): Promise<Page<T>> {
  const table = resourceTable[resource];
  const limit = Math.max(0, Math.min(p.limit, MAX_PAGE));
  const offset = Math.max(0, p.offset);
  const defaultOrder = !p.sortBy && (p.sortOrder ?? 'ASC') === 'ASC';
  if (!p.filter && defaultOrder && limit > 0) return walkPage(em, table, columns, map, limit, offset);
  const where = p.filter ? compileFilter(resource, p.filter) : frag('true');
  const order = compileOrder(resource, p.sortBy ?? undefined, p.sortOrder ?? 'ASC');
  const rows =
    limit === 0 ? [] : await runSql(em, frag(`select ${columns} from ${table} r where ${where.sql} order by ${order} limit ? offset ?`, [...where.bindings, limit, offset]), { prepare: true });
  let total: Promise<number> | undefined;
  return {
    items: rows.map(map),
    offset,
    totalCount: () => {
      // A first page that is not full holds every match: no need to count them again.
      if (offset === 0 && limit > 0 && rows.length < limit) return Promise.resolve(rows.length);
      total ??= (p.filter ? countMatches(em, table, where) : countAll(em, table)).then((r) => Number(r[0]?.n ?? 0));
      return total;
    },
  };
}

const countMatches = (em: SqlEntityManager, table: string, where: SqlFragment) =>
  runSql<{ n: number }>(em, frag(`select count(*)::int as n from ${table} r where ${where.sql}`, where.bindings), { prepare: true });

const countAll = (em: SqlEntityManager, table: string) => runSql<{ n: number }>(em, frag(`select ${ROW_TOTAL} as n`, [table]), { prepare: true });

/** Columns a page of the walk carries besides the resource's: its key, the total and the snapshot (list-positions.ts). */
const KEY_AT = '_list_key_at';
const KEY_ID = '_list_key_id';
const TOTAL = '_list_total';
const SNAPSHOT = '_list_snapshot';

/**
 * A page of an unfiltered list in the default order: Okta's import walk. It starts from the nearest
 * remembered position or anchor when one holds (list-positions.ts, list-anchors.ts), else from the
 * start of the index, and carries the exact total and the snapshot it was read on, so that its first
 * and last rows become positions for the next page. One statement when the position holds or none
 * is known.
 */
async function walkPage<T>(em: SqlEntityManager, table: string, columns: string, map: (row: Row) => T, limit: number, offset: number): Promise<Page<T>> {
  const owner = em.getDriver();
  let from = nearestPosition(owner, table, offset);
  if (offset - (from?.before ?? 0) >= anchorSettings.step) {
    // A jump, far from every position this process knows. Anchors on their way (a process that
    // has just started) are waited for: what is left of their build costs less than the walk.
    // None and none coming: they are built for the next jump while this one walks the index.
    const building = anchorsBuilding(owner, table);
    if (building) {
      await building;
      from = nearestPosition(owner, table, offset);
    } else void requestAnchors(em.fork(), table, anchorSettings.onError);
  }
  let rows = from ? await runSql(em, walkQuery(table, columns, limit, offset - from.before, from), { prepare: true }) : [];
  if (from && rows.length) {
    positionStats.used++;
    if (from.anchor) positionStats.anchorsUsed++;
  }
  if (!rows.length) {
    rows = await runSql(em, walkQuery(table, columns, limit, offset), { prepare: true });
    // Only now is it known whether the position was void: an empty answer from it may also be a
    // page past the end, which voids nothing.
    if (from && rows.length) {
      positionStats.refused++;
      forgetPositions(owner, table);
      // Void anchors are read again for the next jump (not more often than anchorSettings allows).
      if (from.anchor) void requestAnchors(em.fork(), table, anchorSettings.onError);
    }
  }
  if (!rows.length) return { items: [], offset, totalCount: async () => Number((await countAll(em, table))[0]?.n ?? 0) };
  const snapshot = String(rows[0][SNAPSHOT]);
  const last = rows[rows.length - 1];
  rememberPositions(owner, table, [
    { before: offset, key: keyOf(rows[0]), snapshot },
    { before: offset + rows.length - 1, key: keyOf(last), snapshot },
  ]);
  const total = Number(rows[0][TOTAL]);
  return { items: rows.map(map), offset, totalCount: () => Promise.resolve(total) };
}

const keyOf = (row: Row) => ({ createdAt: String(row[KEY_AT]), id: String(row[KEY_ID]) });

/**
 * The walk's select: from `from`'s key (when it still holds) or from the start, skipping `skip`
 * rows. From SEEK_AFTER on, the rows to skip are walked in the index alone (a key subquery the page
 * then starts at). The total and the snapshot are init plans: evaluated once, on the statement's
 * snapshot.
 */
function walkQuery(table: string, columns: string, limit: number, skip: number, from?: Position): SqlFragment {
  const sql: string[] = [];
  const values: unknown[] = [table];
  sql.push(`select ${columns}, r.created_at::text as ${KEY_AT}, r.id as ${KEY_ID}, (select ${ROW_TOTAL}) as ${TOTAL}, (select pg_current_snapshot()::text) as ${SNAPSHOT} from ${table} r where true`);
  const startsAt = (alias: string) => `(${alias}.created_at, ${alias}.id) >= (?::timestamptz, ?::uuid)`;
  if (from) {
    sql.push(` and ${POSITION_HOLDS} and ${startsAt('r')}`);
    values.push(...positionHoldsValues(table, from), from.key.createdAt, from.key.id);
  }
  if (skip >= SEEK_AFTER) {
    sql.push(` and (r.created_at, r.id) >= (select k.created_at, k.id from ${table} k${from ? ` where ${startsAt('k')}` : ''} order by k.created_at, k.id offset ? limit 1)`);
    if (from) values.push(from.key.createdAt, from.key.id);
    values.push(skip);
    sql.push(' order by r.created_at, r.id limit ?');
    values.push(limit);
  } else {
    sql.push(' order by r.created_at, r.id limit ? offset ?');
    values.push(limit, skip);
  }
  return frag(sql.join(''), values);
}
