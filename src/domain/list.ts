import type { FilterTree } from './filter/filter-tree.js';

/** Sort direction. */
export type SortDirection = 'ASC' | 'DESC';

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
