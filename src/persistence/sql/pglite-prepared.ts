import { types, type PGlite } from '@electric-sql/pglite';

/**
 * Named prepared statements on the embedded database, through PGlite's wire-protocol entry point.
 *
 * `pglite.query` sends every statement as six protocol calls into the engine (Parse, Describe,
 * Bind, Describe, Execute, Sync), and the Parse plans the statement anew each time: a SCIM lookup
 * spent more in that than in reading its row. A named statement is parsed (and described) once per
 * database; each use is then one call carrying Bind, Execute and Sync, and Postgres keeps the plan.
 * The same mutexes as `pglite.query` order it with every other statement and transaction.
 */

interface Prepared {
  /** parameter type oids, as the server inferred them */
  params: number[];
  /** result columns (name and type oid); empty for a statement that returns no rows */
  fields: { name: string; dataTypeID: number }[];
}

/** What this module needs of a PGlite instance (some of it is public but undocumented). */
interface Engine {
  execProtocol(message: Uint8Array, options?: { syncToFs?: boolean }): Promise<{ messages: { name: string }[] }>;
  runExclusive<T>(fn: () => Promise<T>): Promise<T>;
  _runExclusiveTransaction<T>(fn: () => Promise<T>): Promise<T>;
  parsers: Record<number | string, (x: string, typeId?: number) => unknown>;
  serializers: Record<number | string, (x: unknown) => string>;
}

const prepared = new WeakMap<object, Map<string, Prepared>>();

/** Whether a native client is a PGlite this module can drive. */
export function isPglite(native: unknown): native is PGlite {
  const e = native as Partial<Engine> | null;
  return !!e && typeof e.execProtocol === 'function' && typeof e._runExclusiveTransaction === 'function' && typeof e.runExclusive === 'function';
}

/** Runs `text` as the named statement `name` (prepared on first use) with `values`; the rows, parsed as pglite.query parses them. */
export async function queryPrepared(pglite: PGlite, name: string, text: string, values: unknown[]): Promise<Record<string, unknown>[]> {
  const engine = pglite as unknown as Engine;
  let known = prepared.get(pglite);
  if (!known) prepared.set(pglite, (known = new Map<string, Prepared>()));
  const statements = known;
  // Outside any transaction, and one at a time, exactly as pglite.query runs.
  return engine._runExclusiveTransaction(() =>
    engine.runExclusive(async () => {
      let statement = statements.get(name);
      if (!statement) {
        const { messages } = await engine.execProtocol(concat([parse(name, text), describe('S', name), sync()]), { syncToFs: false });
        statement = describedStatement(messages);
        statements.set(name, statement);
      }
      const params = values.map((v, i) => serializeParam(engine, v, statement.params[i]));
      const { messages } = await engine.execProtocol(concat([bind(name, params), execute(), sync()]));
      return rowsOf(engine, statement, messages);
    }),
  );
}

function describedStatement(messages: { name: string }[]): Prepared {
  const paramsMsg = messages.find((m) => m.name === 'parameterDescription') as { dataTypeIDs: number[] } | undefined;
  const rowsMsg = messages.find((m) => m.name === 'rowDescription') as { fields: { name: string; dataTypeID: number }[] } | undefined;
  return { params: paramsMsg?.dataTypeIDs ?? [], fields: rowsMsg?.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })) ?? [] };
}

/** A parameter as text, the way pglite.query sends it: the type's serializer, else toString. */
function serializeParam(engine: Engine, v: unknown, oid: number | undefined): string | null {
  if (v === null || v === undefined) return null;
  const serialize = oid === undefined ? undefined : engine.serializers[oid];
  // As pglite.query does: values reach here as text, numbers, booleans or dates (objects were sent as JSON text).
  return serialize ? serialize(v) : (v as { toString(): string }).toString();
}

function rowsOf(engine: Engine, statement: Prepared, messages: { name: string }[]): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  const { fields } = statement;
  for (const m of messages) {
    if (m.name !== 'dataRow') continue;
    const values = (m as unknown as { fields: (string | null)[] }).fields;
    const row: Record<string, unknown> = {};
    for (let i = 0; i < fields.length; i++) row[fields[i].name] = types.parseType(values[i], fields[i].dataTypeID, engine.parsers);
    rows.push(row);
  }
  return rows;
}

// Frontend messages of the extended query protocol (text format throughout).

const encoder = new TextEncoder();

class Writer {
  private parts: Uint8Array[] = [];
  private size = 0;
  private push(b: Uint8Array): this {
    this.parts.push(b);
    this.size += b.length;
    return this;
  }
  int16(n: number): this {
    const b = new Uint8Array(2);
    new DataView(b.buffer).setInt16(0, n);
    return this.push(b);
  }
  int32(n: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setInt32(0, n);
    return this.push(b);
  }
  cstring(s: string): this {
    this.push(encoder.encode(s));
    return this.push(new Uint8Array([0]));
  }
  bytes(b: Uint8Array): this {
    return this.push(b);
  }
  /** The message: its type byte, its length (itself included), its body. */
  message(code: string): Uint8Array {
    const out = new Uint8Array(1 + 4 + this.size);
    out[0] = code.charCodeAt(0);
    new DataView(out.buffer).setInt32(1, 4 + this.size);
    let at = 5;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

const parse = (name: string, text: string) => new Writer().cstring(name).cstring(text).int16(0).message('P');
const describe = (kind: 'S' | 'P', name: string) => new Writer().bytes(encoder.encode(kind)).cstring(name).message('D');
const execute = () => new Writer().cstring('').int32(0).message('E');
const sync = () => new Writer().message('S');

function bind(statement: string, values: (string | null)[]): Uint8Array {
  const w = new Writer().cstring('').cstring(statement).int16(0).int16(values.length);
  for (const v of values) {
    if (v === null) w.int32(-1);
    else {
      const b = encoder.encode(v);
      w.int32(b.length).bytes(b);
    }
  }
  return w.int16(0).message('B');
}

function concat(messages: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(messages.reduce((n, m) => n + m.length, 0));
  let at = 0;
  for (const m of messages) {
    out.set(m, at);
    at += m.length;
  }
  return out;
}
