import type { EntityManager } from '@mikro-orm/postgresql';
import { ResourceKind, resourceTable } from './filter/attribute-table';
import { FilterTree } from './filter/filter-tree';
import { compileOrder, SortDirection } from './filter/sort';
import { compileFilter } from './filter/sql-compiler';
import { frag } from './filter/sql-fragment';

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
  const rows =
    limit === 0
      ? []
      : await em.execute<Record<string, unknown>[]>(
          knex.raw(`select ${columns} from ${table} r where ${where.sql} order by ${order} limit ? offset ?`, [...where.bindings, limit, offset] as never[]),
        );
  let total: Promise<number> | undefined;
  return {
    items: rows.map(map),
    offset,
    totalCount: () => {
      // A first page that is not full holds every match: no need to count them again.
      if (offset === 0 && limit > 0 && rows.length < limit) return Promise.resolve(rows.length);
      total ??= em
        .execute<{ n: number }[]>(knex.raw(`select count(*)::int as n from ${table} r where ${where.sql}`, where.bindings as never[]))
        .then((r) => Number(r[0]?.n ?? 0));
      return total;
    },
  };
}
