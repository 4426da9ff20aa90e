import type { EntityClass, EntityProperty } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/sql';

/** One persisted property: its name on the entity, its column and its declared type. */
export interface Column {
  prop: string;
  column: string;
  type: string;
}

/** The columns a plain read selects for an entity, derived from its metadata, never kept by hand. */
export interface ColumnSet {
  columns: Column[];
  /** `r.a, r.b, …` for a select over the table aliased `alias` */
  select(alias: string): string;
  /** `json_build_object('a', g.a, …)`: the same columns as one JSON value (for nested reads) */
  jsonObject(alias: string): string;
  /** a row (or such a JSON object) as `{ prop: value }`, with dates, numbers and JSON converted */
  toProps(row: Record<string, unknown>): Record<string, unknown>;
}

const cache = new Map<EntityClass<object>, ColumnSet>();

/**
 * Columns of `entity` that plain reads return: every persisted scalar property except lazy or
 * hidden ones (the password hash) and those named in `exclude` (derived search columns).
 */
export function columnsOf(em: SqlEntityManager, entity: EntityClass<object>, exclude: readonly string[] = []): ColumnSet {
  const hit = cache.get(entity);
  if (hit) return hit;
  const meta = em.getMetadata().get(entity);
  const columns = Object.values<EntityProperty>(meta.properties)
    .filter((p) => p.persist !== false && !p.lazy && !p.hidden && !exclude.includes(p.name) && p.fieldNames?.length === 1)
    .map((p) => ({ prop: p.name, column: p.fieldNames[0], type: String(p.type).toLowerCase() }));
  const set: ColumnSet = {
    columns,
    select: (alias) => columns.map((c) => `${alias}.${c.column}`).join(', '),
    jsonObject: (alias) => `json_build_object(${columns.map((c) => `'${c.column}', ${alias}.${c.column}`).join(', ')})`,
    toProps: (row) => {
      const out: Record<string, unknown> = {};
      for (const c of columns) out[c.prop] = convert(c.type, row[c.column]);
      return out;
    },
  };
  cache.set(entity, set);
  return set;
}

/** Drivers return timestamps as text and JSON as text or objects; the domain wants one shape. */
function convert(type: string, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  switch (type) {
    case 'datetime':
    case 'date':
      return v instanceof Date ? v : new Date(String(v));
    case 'json':
      return typeof v === 'string' ? JSON.parse(v) : v;
    case 'integer':
    case 'number':
      return Number(v);
    case 'boolean':
      return typeof v === 'boolean' ? v : v === 't' || v === 'true';
    default:
      return v;
  }
}
