import { createHash } from 'node:crypto';
import { DriverException } from '@mikro-orm/core';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import type { SqlEntityManager } from '@mikro-orm/sql';
import { CompiledQuery } from 'kysely';
import type { Pool } from 'pg';
import { DatabaseTimeout, DomainError, InvalidValue } from '../../domain/errors/domain-errors.js';
import { NUL_MESSAGE, toPositional, type SqlFragment } from './fragment.js';
import { isPglite, queryPrepared } from './pglite-prepared.js';

/** Most distinct statements kept prepared; filters can produce any number of texts. */
const MAX_PREPARED = 256;
const preparedNames = new Set<string>();

/**
 * Runs one statement with its values sent as parameters (`$1…`), never inlined into the text:
 * MikroORM's `em.execute` inlines values as literals, which the embedded driver of the past split
 * on `;`. Inside a transaction the statement joins it (kysely is bound to the transaction).
 *
 * Statements outside a transaction that ask for it (reads, and single-statement writes of a few
 * fixed shapes) run as named prepared statements: planning each lookup from scratch cost more than
 * the lookup itself (~215 µs of server CPU per SCIM lookup on Postgres, ~70 µs prepared). pg
 * prepares a name once per connection; on the embedded database, pglite-prepared.ts does it once
 * per database.
 */
export async function runSql<T = Record<string, unknown>>(em: SqlEntityManager, f: SqlFragment, opts: { prepare?: boolean } = {}): Promise<T[]> {
  try {
    return await send<T>(em, f, opts.prepare ?? false);
  } catch (err) {
    // a value refused before it was sent (toPositional) is already the domain's verdict
    if (err instanceof DomainError) throw err;
    if (isNulRejection(err)) throw new InvalidValue(NUL_MESSAGE);
    if (isStatementTimeout(err)) throw new DatabaseTimeout();
    // The same typed exceptions the ORM raises (unique violation, deadlock…), so that one mapping
    // to domain errors serves both ways to the database.
    throw err instanceof Error && !(err instanceof DriverException) ? em.getDriver().convertException(err) : err;
  }
}

async function send<T>(em: SqlEntityManager, f: SqlFragment, prepare: boolean): Promise<T[]> {
  const q = toPositional(f);
  if (prepare && !em.getTransactionContext()) {
    const name = statementName(q.text);
    const usable = preparedNames.has(name) || preparedNames.size < MAX_PREPARED;
    if (usable) preparedNames.add(name);
    if (em.getDriver() instanceof PostgreSqlDriver) {
      const pool = (await em.getConnection().getNativeClient()) as Pool;
      const res = await pool.query({ name: usable ? name : undefined, text: q.text, values: q.values });
      return res.rows as T[];
    }
    const native: unknown = await em.getConnection().getNativeClient();
    if (usable && isPglite(native)) return (await queryPrepared(native, name, q.text, q.values)) as T[];
  }
  const res = await em.getKysely().executeQuery(CompiledQuery.raw(q.text, q.values));
  return res.rows as T[];
}

/** Prepared-statement names by text (a hash of it): computed once per text, not per request. */
const names = new Map<string, string>();
function statementName(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `roster_${createHash('md5').update(text).digest('hex').slice(0, 20)}`;
    if (names.size >= 4 * MAX_PREPARED) names.delete(names.keys().next().value!);
    names.set(text, name);
  }
  return name;
}

/** PostgreSQL's refusal of U+0000 in text (22P05 untranslatable_character, 22021 on some paths). */
export function isNulRejection(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 4; depth++, e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    const message = e instanceof Error ? e.message : '';
    if ((code === '22P05' || code === '22021') && /0x00|\\u0000/.test(message)) return true;
  }
  return false;
}

/** PostgreSQL's cancellation by statement_timeout (57014 query_canceled). */
export function isStatementTimeout(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 4; depth++, e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '57014') return true;
  }
  return false;
}
