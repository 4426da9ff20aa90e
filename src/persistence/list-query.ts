import type { SqlEntityManager } from '@mikro-orm/sql';
import { MAX_PAGE, type ListParams, type Page } from '../domain/list.js';
import { resourceTable, type ResourceKind } from './filter/attribute-table.js';
import { compileOrder } from './filter/sort.js';
import { compileFilter } from './filter/sql-compiler.js';
import { frag, type SqlFragment } from './sql/fragment.js';
import { runSql } from './sql/run.js';

/** Past this offset, the default order seeks its first row through the (created_at, id) index. */
const SEEK_AFTER = 1000;

/**
 * The page's select. A deep page in the default order finds its first key with an index-only walk
 * of (created_at, id) and starts there, instead of reading and discarding every earlier row: Okta's
 * import walk reaches startIndex 99,901 at about the cost of the first page. The same statement
 * counts the rows from that key on: the offset plus those is the total (exactly `offset` rows come
 * before the first key, on the same snapshot), so a deep page is one index walk, not an offset
 * walk and then a count of the whole table.
 */
function pageQuery(table: string, columns: string, where: SqlFragment, order: string, defaultOrder: boolean, limit: number, offset: number): SqlFragment {
  if (!defaultOrder || offset < SEEK_AFTER) {
    return frag(`select ${columns} from ${table} r where ${where.sql} order by ${order} limit ? offset ?`, [...where.bindings, limit, offset]);
  }
  return frag(
    `with k as (select r.created_at, r.id from ${table} r where ${where.sql} order by r.created_at, r.id offset ? limit 1) ` +
      // The page takes the key as a row subquery (an init plan: the index walk starts at it); the
      // count joins k, which keeps it out of a parallel plan (launching workers to count a last
      // page's few rows cost 70 ms on a loaded machine).
      `select ${columns}, ((select count(*) from ${table} r, k where ${where.sql} and (r.created_at, r.id) >= (k.created_at, k.id)) + ?)::int as ${SEEK_TOTAL} ` +
      `from ${table} r where ${where.sql} and (r.created_at, r.id) >= (select created_at, id from k) order by ${order} limit ?`,
    [...where.bindings, offset, ...where.bindings, offset, ...where.bindings, limit],
  );
}

/** The column of a deep page that carries the total (see pageQuery). */
const SEEK_TOTAL = 'seek_total';

/** Runs one filtered, ordered, paged select over a resource table: one query, plus one count if asked. */
export async function listRows<T>(em: SqlEntityManager, resource: ResourceKind, columns: string, map: (row: Record<string, unknown>) => T, p: ListParams): Promise<Page<T>> {
  const where = p.filter ? compileFilter(resource, p.filter) : frag('true');
  const order = compileOrder(resource, p.sortBy ?? undefined, p.sortOrder ?? 'ASC');
  const table = resourceTable[resource];
  const limit = Math.max(0, Math.min(p.limit, MAX_PAGE));
  const offset = Math.max(0, p.offset);
  const defaultOrder = !p.sortBy && (p.sortOrder ?? 'ASC') === 'ASC';
  const rows = limit === 0 ? [] : await runSql(em, pageQuery(table, columns, where, order, defaultOrder, limit, offset), { prepare: true });
  let total: Promise<number> | undefined;
  return {
    items: rows.map(map),
    offset,
    totalCount: () => {
      // A first page that is not full holds every match: no need to count them again.
      if (offset === 0 && limit > 0 && rows.length < limit) return Promise.resolve(rows.length);
      if (rows.length && rows[0][SEEK_TOTAL] != null) return Promise.resolve(Number(rows[0][SEEK_TOTAL]));
      total ??= runSql<{ n: number }>(em, frag(`select count(*)::int as n from ${table} r where ${where.sql}`, where.bindings), { prepare: true }).then((r) => Number(r[0]?.n ?? 0));
      return total;
    },
  };
}
