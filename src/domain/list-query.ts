import type { EntityManager } from '@mikro-orm/postgresql';
import { readRows } from '../persistence/read-rows';
import { ResourceKind, resourceTable } from './filter/attribute-table';
import { FilterTree } from './filter/filter-tree';
import { compileOrder, SortDirection } from './filter/sort';
import { compileFilter } from './filter/sql-compiler';
import { frag, SqlFragment } from './filter/sql-fragment';

/** What a list asks for. `limit` 0 asks for the total only. */
export interface ListParams {
  filter?: FilterTree | null;
  sortBy?: string | null;
  sortOrder?: SortDirection | null;
  offset: number;
  limit: number;
}

/** A page of rows with a lazily counted total (a count costs a scan; only run it when asked). */
export interface Page<T> {
  items: T[];
  offset: number;
  totalCount(): Promise<number>;
}

/** Largest page any list returns. */
export const MAX_PAGE = 1000;

/** Past this offset, the default order seeks its first row through the (created_at, id) index. */
const SEEK_AFTER = 1000;

/**
 * The page's select. A deep page in the default order finds its first key with an index-only walk
 * of (created_at, id) and starts there, instead of reading and discarding every earlier row: Okta's
 * import walk reaches startIndex 99,901 at about the cost of the first page.
 */
function pageQuery(knex: ReturnType<EntityManager['getKnex']>, table: string, columns: string, where: SqlFragment, order: string, defaultOrder: boolean, limit: number, offset: number) {
  if (!defaultOrder || offset < SEEK_AFTER) {
    return knex.raw(`select ${columns} from ${table} r where ${where.sql} order by ${order} limit ? offset ?`, [...where.bindings, limit, offset] as never[]);
  }
  return knex.raw(
    `select ${columns} from ${table} r where ${where.sql} and (r.created_at, r.id) >= ` +
      `(select r.created_at, r.id from ${table} r where ${where.sql} order by r.created_at, r.id offset ? limit 1) ` +
      `order by ${order} limit ?`,
    [...where.bindings, ...where.bindings, offset, limit] as never[],
  );
}

/** Runs one filtered, ordered, paged select over a resource table: one query, plus one count if asked. */
export async function listRows<T>(
  em: EntityManager,
  resource: ResourceKind,
  columns: string,
  map: (row: Record<string, unknown>) => T,
  p: ListParams,
): Promise<Page<T>> {
  const where = p.filter ? compileFilter(resource, p.filter) : frag('true');
  const order = compileOrder(resource, p.sortBy ?? undefined, p.sortOrder ?? 'ASC');
  const table = resourceTable[resource];
  const knex = em.getKnex();
  const limit = Math.max(0, Math.min(p.limit, MAX_PAGE));
  const offset = Math.max(0, p.offset);
  const defaultOrder = !p.sortBy && (p.sortOrder ?? 'ASC') === 'ASC';
  const rows = limit === 0 ? [] : await readRows<Record<string, unknown>>(em, pageQuery(knex, table, columns, where, order, defaultOrder, limit, offset));
  let total: Promise<number> | undefined;
  return {
    items: rows.map(map),
    offset,
    totalCount: () => {
      // A first page that is not full holds every match: no need to count them again.
      if (offset === 0 && limit > 0 && rows.length < limit) return Promise.resolve(rows.length);
      total ??= readRows<{ n: number }>(em, knex.raw(`select count(*)::int as n from ${table} r where ${where.sql}`, where.bindings as never[])).then((r) =>
        Number(r[0]?.n ?? 0),
      );
      return total;
    },
  };
}
