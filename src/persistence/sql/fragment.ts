import { InvalidValue } from '../../domain/errors/domain-errors.js';

/**
 * A piece of SQL with `?` placeholders and its bindings. Only trusted text (written in this layer)
 * goes in `sql`, and it never contains `?` except as a placeholder; every value is a binding.
 */
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

/** The statement as the server receives it: `$1…$n` placeholders and a parameter array. */
export interface PositionalQuery {
  text: string;
  values: unknown[];
}

/** Texts already numbered, by their `?` form: the hot statements repeat one text per request. */
const numbered = new Map<string, { text: string; n: number }>();
const MAX_NUMBERED = 512;

/** Numbers the placeholders. A count that disagrees with the bindings is a bug in this layer. */
export function toPositional(f: SqlFragment): PositionalQuery {
  let known = numbered.get(f.sql);
  if (!known) {
    let n = 0;
    known = { text: f.sql.replace(/\?/g, () => `$${++n}`), n };
    if (numbered.size >= MAX_NUMBERED) numbered.delete(numbered.keys().next().value!);
    numbered.set(f.sql, known);
  }
  const { text, n } = known;
  if (n !== f.bindings.length) throw new Error(`SQL has ${n} placeholders but ${f.bindings.length} bindings: ${f.sql.slice(0, 200)}`);
  return { text, values: f.bindings.map(toParameter) };
}

/** Values as the drivers take them: arrays and objects travel as JSON text (cast in the SQL). */
function toParameter(v: unknown): unknown {
  if (v === undefined) return null;
  if (v !== null && typeof v === 'object' && !(v instanceof Date) && !Buffer.isBuffer(v)) {
    // Checked on the JSON text, in one pass: JSON.stringify writes U+0000 and a lone surrogate as
    // \u escapes (a well-formed pair as the characters themselves), so an escape of either, not
    // itself escaped, is exactly such a string in the value. Walking the value instead allocated an
    // entry list per object (a 10,000-member list is 10,000 objects).
    const json = JSON.stringify(v);
    if (json.includes('\\u')) {
      if (ESCAPED_NUL.test(json)) throw new InvalidValue(NUL_MESSAGE);
      if (ESCAPED_LONE_SURROGATE.test(json)) throw new InvalidValue(SURROGATE_MESSAGE);
    }
    return json;
  }
  if (containsNul(v)) throw new InvalidValue(NUL_MESSAGE);
  if (!wellFormed(v)) throw new InvalidValue(SURROGATE_MESSAGE);
  return v;
}

/** `\u0000` in JSON text, preceded by an even number of backslashes (so not itself an escaped backslash). */
const ESCAPED_NUL = /(?<!\\)(?:\\\\)*\\u0000/;
/** A surrogate written as an escape: JSON.stringify does that only for a lone one. */
const ESCAPED_LONE_SURROGATE = /(?<!\\)(?:\\\\)*\\ud[89a-f][0-9a-f]{2}/i;

/** Whether a value can be sent as a parameter at all (no U+0000, no unpaired surrogate): what `toPositional` would refuse. */
export const sendable = (v: unknown): boolean => !containsNul(v) && wellFormed(v);

/** Whether a string anywhere in the value holds U+0000 (text and jsonb both refuse it). */
function containsNul(v: unknown): boolean {
  if (typeof v === 'string') return v.includes('\u0000');
  if (Array.isArray(v)) return v.some(containsNul);
  if (v !== null && typeof v === 'object' && !(v instanceof Date) && !Buffer.isBuffer(v)) return Object.entries(v).some(([k, x]) => k.includes('\u0000') || containsNul(x));
  return false;
}

/** Whether every string in the value is well-formed Unicode (no lone surrogate, which would be stored as U+FFFD, or refused by jsonb). */
export function wellFormed(v: unknown): boolean {
  if (typeof v === 'string') return v.isWellFormed();
  if (Array.isArray(v)) return v.every(wellFormed);
  if (v !== null && typeof v === 'object' && !(v instanceof Date) && !Buffer.isBuffer(v)) return Object.entries(v).every(([k, x]) => k.isWellFormed() && wellFormed(x));
  return true;
}

export const SURROGATE_MESSAGE = 'Text values cannot contain an unpaired surrogate: it is not a Unicode character.';

/** PostgreSQL text cannot hold U+0000; a value with it is the client's error, never a server one. */
export const NUL_MESSAGE = 'Text values cannot contain the NUL character (U+0000).';
