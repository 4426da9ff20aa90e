import { InvalidFilter } from '../../domain/errors/domain-errors.js';
import { lookupAttribute, ResourceKind } from './attribute-table.js';

import type { SortDirection } from '../../domain/list.js';

/**
 * ORDER BY for a list. The id is always the last key so that the order is total and pages are
 * stable (RFC 7644 §3.4.2.4 leaves the default order to the provider: Roster uses creation order).
 */
export function compileOrder(resource: ResourceKind, sortBy: string | undefined, direction: SortDirection = 'ASC'): string {
  const dir = direction === 'DESC' ? 'desc' : 'asc';
  if (!sortBy) return `r.created_at ${dir}, r.id ${dir}`;
  const found = lookupAttribute(resource, sortBy);
  if (found?.spec.kind === 'column' && found.spec.sortable) {
    const col = `r.${found.spec.column}`;
    const key = found.spec.type === 'string' && !found.spec.caseExact && !found.spec.citext ? `lower(${col})` : col;
    return `${key} ${dir} nulls last, r.id ${dir}`;
  }
  if (found?.spec.kind === 'jsonArray' && (found.sub ?? found.spec.defaultSub) === found.spec.defaultSub) {
    // RFC 7644 §3.4.2.3: a multi-valued attribute sorts by its primary value, else its first one.
    const key = `lower((select e.el->>'${found.spec.defaultSub}' from jsonb_array_elements(r.${found.spec.column}) with ordinality as e(el, n) order by coalesce((e.el->>'primary')::boolean, false) desc, n limit 1))`;
    return `${key} ${dir} nulls last, r.id ${dir}`;
  }
  throw new InvalidFilter(`Cannot sort by ${JSON.stringify(sortBy)}.`);
}
