import type { ListParams } from '../../domain/list.js';
import { lookupAttribute, type ResourceKind } from './attribute-table.js';

/**
 * The value of a list that is a lookup by a unique key (`userName eq "…"`, a group's
 * `displayName eq "…"`): a first page, unsorted, of at most one row. Undefined for any
 * other list.
 */
export function keyLookup(resource: ResourceKind, column: string, p: ListParams): string | undefined {
  const f = p.filter;
  const c = f?.compare;
  if (!c || f.and != null || f.or != null || f.not != null || f.any != null) return undefined;
  // a sort is checked by the list (an unknown attribute is refused), never skipped here
  if (c.op !== 'eq' || typeof c.value !== 'string' || p.sortBy || p.offset !== 0 || p.limit < 1) return undefined;
  const found = lookupAttribute(resource, c.path);
  return found && !found.sub && found.spec.kind === 'column' && found.spec.column === column ? c.value : undefined;
}
