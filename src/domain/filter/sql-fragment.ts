/** A piece of SQL with `?` placeholders and its bindings. Only trusted text goes in `sql`. */
export interface SqlFragment {
  sql: string;
  bindings: unknown[];
}

/** Builds a fragment. */
export const frag = (sql: string, bindings: unknown[] = []): SqlFragment => ({ sql, bindings });

/** Joins fragments with a trusted separator. */
export function joinFrags(parts: SqlFragment[], sep: string): SqlFragment {
  return { sql: parts.map((p) => p.sql).join(sep), bindings: parts.flatMap((p) => p.bindings) };
}

/** Escapes LIKE metacharacters so that `co "50%"` matches a literal percent sign. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
