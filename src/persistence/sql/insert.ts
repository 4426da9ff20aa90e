import type { EntityClass, EntityProperty } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/sql';
import type { SqlFragment } from './fragment.js';

/** An INSERT's parts for one entity: the table, its columns and one row of placeholders with their values. */
export interface InsertParts {
  table: string;
  columns: string[];
  /** `?`, `?::jsonb`… one per column */
  placeholders: string[];
  bindings: unknown[];
}

/**
 * The columns and values an entity's persisted properties insert, from the ORM's metadata, for
 * single-statement writes that do not go through the unit of work. Undefined properties are left
 * out, so that their column defaults apply; JSON travels as text cast to jsonb, text arrays as
 * JSON text unnested (fragment.ts sends arrays and objects as JSON).
 */
export function insertParts(em: SqlEntityManager, entity: EntityClass<object>, data: object): InsertParts {
  const meta = em.getMetadata().get(entity);
  const parts: InsertParts = { table: meta.tableName, columns: [], placeholders: [], bindings: [] };
  for (const p of Object.values<EntityProperty>(meta.properties)) {
    if (p.persist === false || p.fieldNames?.length !== 1) continue;
    const value = (data as Record<string, unknown>)[p.name];
    if (value === undefined) continue;
    parts.columns.push(p.fieldNames[0]);
    parts.placeholders.push(placeholderOf(p));
    parts.bindings.push(value);
  }
  return parts;
}

/** `insert into t (…) values (…)` from its parts. */
export function insertValues(p: InsertParts): SqlFragment {
  return { sql: `insert into ${p.table} (${p.columns.join(', ')}) values (${p.placeholders.join(', ')})`, bindings: p.bindings };
}

/** A value's placeholder for its column: JSON travels as text cast to jsonb, text arrays as JSON text unnested. */
function placeholderOf(p: EntityProperty): string {
  const columnType = String(p.columnTypes?.[0] ?? '').toLowerCase();
  if (columnType.endsWith('[]')) return 'array(select jsonb_array_elements_text(?::jsonb))';
  return columnType.startsWith('json') ? '?::jsonb' : '?';
}
