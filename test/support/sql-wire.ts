import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

/**
 * Records the SQL text of every statement this process sends to either database, as the server
 * receives it: PGlite's Parse and Query protocol messages, and node-postgres queries. Calls go
 * through unchanged; this only observes, so that a test can prove values never became SQL text.
 */
export function recordSqlText(): { texts: string[]; stop(): void } {
  const texts: string[] = [];
  const pgliteProto = PGlite.prototype as unknown as { execProtocolRawSync(bytes: Uint8Array, ...rest: unknown[]): unknown };
  const clientProto = pg.Client.prototype as unknown as { query(config: unknown, ...rest: unknown[]): unknown };
  const rawSync = pgliteProto.execProtocolRawSync;
  const query = clientProto.query;
  pgliteProto.execProtocolRawSync = function (this: unknown, bytes: Uint8Array, ...rest: unknown[]) {
    texts.push(...statementsIn(bytes));
    return rawSync.call(this, bytes, ...rest);
  };
  clientProto.query = function (this: unknown, config: unknown, ...rest: unknown[]) {
    const text = typeof config === 'string' ? config : (config as { text?: unknown } | null)?.text;
    if (typeof text === 'string') texts.push(text);
    return query.call(this, config, ...rest);
  };
  return {
    texts,
    stop() {
      pgliteProto.execProtocolRawSync = rawSync;
      clientProto.query = query;
    },
  };
}

/** SQL texts in a buffer of frontend messages: Parse ('P': name, text) and simple Query ('Q': text). */
function statementsIn(bytes: Uint8Array): string[] {
  const out: string[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const cstring = (from: number) => {
    const end = bytes.indexOf(0, from);
    return { text: new TextDecoder().decode(bytes.subarray(from, end)), next: end + 1 };
  };
  for (let i = 0; i + 5 <= bytes.length;) {
    const type = String.fromCharCode(bytes[i]!);
    const length = view.getInt32(i + 1);
    if (type === 'Q') out.push(cstring(i + 5).text);
    if (type === 'P') {
      const name = cstring(i + 5);
      const text = cstring(name.next).text;
      parsed.push(text);
      // A named (prepared) statement is counted where it runs, at each Bind; an unnamed one here.
      if (name.text === '') out.push(text);
      else named.set(name.text, text);
    }
    if (type === 'B') {
      const statement = cstring(cstring(i + 5).next).text;
      if (statement !== '') out.push(named.get(statement) ?? `<prepared ${statement}>`);
    }
    i += 1 + length;
  }
  return out;
}

/** Named statements seen in a Parse, by name (they outlive one recording: a database prepares each once). */
const named = new Map<string, string>();
/** Every statement text parsed on the embedded database since the process started (tests read its growth). */
export const parsed: string[] = [];
