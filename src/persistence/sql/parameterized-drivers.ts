import { isRaw, Utils, type AnyEntity, type EntityData, type Configuration, type ConnectionOptions, type ConnectionType, type Platform } from '@mikro-orm/core';
import { PgliteConnection, PgliteDriver } from '@mikro-orm/pglite';
import { PostgreSqlConnection, PostgreSqlDriver } from '@mikro-orm/postgresql';
import { NativeQueryBuilder, type AbstractSqlConnection, type QueryResult } from '@mikro-orm/sql';
import { CompiledQuery } from 'kysely';
import { InvalidValue } from '../../domain/errors/domain-errors.js';
import { SURROGATE_MESSAGE } from './fragment.js';

/**
 * MikroORM 7 sends the statements of the unit of work (flush, insert, update, delete) as text with
 * every value inlined as an escaped literal (`AbstractSqlConnection.execute` → `formatQuery`).
 * Escaping is correct today, but it makes a value's bytes part of the SQL text, which is the class
 * of bug an earlier embedded driver had (it split statements on `;` inside values). These drivers
 * send the same statements with the values as protocol parameters (`$1…`), so that no value ever
 * reaches the parser as SQL. Identifiers (`??`) are still quoted into the text: they come from
 * entity metadata, never from a request.
 */

/** The ORM's statement with values as parameters; undefined when some value has no safe parameter form. */
export function parameterize(platform: Platform, sql: string, params: readonly unknown[]): { text: string; values: unknown[] } | undefined {
  const values: unknown[] = [];
  const text = splice(platform, sql, params, values);
  return text === undefined ? undefined : { text, values };
}

function splice(platform: Platform, sql: string, params: readonly unknown[], values: unknown[]): string | undefined {
  let out = '';
  let pos = 0;
  let next = 0;
  for (let idx = sql.indexOf('?'); idx !== -1; idx = sql.indexOf('?', pos)) {
    if (idx > 0 && sql[idx - 1] === '\\') {
      out += sql.slice(pos, idx - 1) + '?';
      pos = idx + 1;
      continue;
    }
    out += sql.slice(pos, idx);
    if (sql[idx + 1] === '?') {
      out += platform.quoteIdentifier(params[next++] as string);
      pos = idx + 2;
      continue;
    }
    const bound = bind(platform, params[next++], values);
    if (bound === undefined) return undefined;
    out += bound;
    pos = idx + 1;
  }
  return out + sql.slice(pos);
}

/** The placeholder text for one value, pushing what it binds; mirrors what `quoteValue` would inline. */
function bind(platform: Platform, value: unknown, values: unknown[]): string | undefined {
  if (isRaw(value)) return splice(platform, value.sql, value.params ?? [], values);
  // `in (?)` with an array expands to one placeholder per element, as the literal form does
  if (Array.isArray(value)) {
    const parts = value.map((v) => bind(platform, v, values));
    return parts.includes(undefined) ? undefined : parts.join(', ');
  }
  if (value === null || value === undefined) return 'null';
  if (Utils.isPlainObject(value)) return push(values, JSON.stringify(value));
  // the same UTC text the ORM would have inlined, so that `timestamp` columns read back unchanged
  if (value instanceof Date) return push(values, (platform as Platform & { formatDate(d: Date): string }).formatDate(value));
  if (typeof value === 'bigint') return push(values, value.toString());
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || ArrayBuffer.isView(value)) return push(values, value);
  return undefined;
}

function push(values: unknown[], value: unknown): string {
  // the same refusal as runSql's: the value could not be stored as sent
  if (typeof value === 'string' && !value.isWellFormed()) throw new InvalidValue(SURROGATE_MESSAGE);
  values.push(value);
  return `$${values.length}`;
}

type ExecuteArgs = Parameters<AbstractSqlConnection['execute']>;
type ExecuteResult = QueryResult | EntityData<AnyEntity> | EntityData<AnyEntity>[];

/** The text with `?` placeholders and its values, from any form `execute` accepts (named parameters excepted). */
function statementOf(query: ExecuteArgs[0], params: ExecuteArgs[1]): { sql: string; params: unknown[] } | undefined {
  if (query instanceof NativeQueryBuilder) return query.compile();
  if (isRaw(query)) return { sql: query.sql, params: [...(query.params ?? [])] };
  if (typeof query === 'string' && Array.isArray(params)) return { sql: query, params: [...(params as unknown[])] };
  return undefined;
}

interface ConnectionInternals {
  config: { get(key: 'onQuery'): (sql: string, params: readonly unknown[]) => string };
  transformRawResult(r: unknown, m: string): unknown;
  executeQuery<T>(query: string, cb: () => Promise<T>, context?: object): Promise<T>;
}

/**
 * `execute` with parameters. Statements without values (DDL, migrations, dumps) and calls that carry
 * an abort signal keep the ORM's own path (`inherited`).
 */
async function executeWithParameters<T>(connection: AbstractSqlConnection, args: ExecuteArgs, inherited: () => Promise<T>): Promise<T> {
  const [query, params, method = 'all', , loggerContext] = args;
  const ctx = args[3] as { executeQuery(c: CompiledQuery): Promise<unknown> } | undefined;
  const hasAbort = loggerContext && ('signal' in loggerContext || 'inflightQueryAbortStrategy' in loggerContext);
  const statement = statementOf(query, params);
  if (!statement || statement.params.length === 0 || hasAbort) return inherited();
  await connection.ensureConnection();
  const internals = connection as unknown as ConnectionInternals;
  // The ORM's `onQuery` hook, as its own preparation runs it; not its literal formatting of the
  // values, which would be work done twice on every write and put values into the query log.
  const q = { query: internals.config.get('onQuery')(statement.sql, statement.params), params: statement.params };
  const sent = parameterize(connection.getPlatform(), q.query, q.params);
  if (!sent) return inherited();
  const client = ctx ?? connection.getClient();
  return internals.executeQuery(q.query, async () => internals.transformRawResult(await client.executeQuery(CompiledQuery.raw(sent.text, sent.values)), method) as T, {
    ...q,
    ...loggerContext,
  });
}

export class ParameterizedPostgreSqlConnection extends PostgreSqlConnection {
  override execute<T extends ExecuteResult = EntityData<AnyEntity>[]>(...args: ExecuteArgs): Promise<T> {
    return executeWithParameters(this, args, () => super.execute<T>(...args));
  }
}

export class ParameterizedPgliteConnection extends PgliteConnection {
  override execute<T extends ExecuteResult = EntityData<AnyEntity>[]>(...args: ExecuteArgs): Promise<T> {
    return executeWithParameters(this, args, () => super.execute<T>(...args));
  }
}

/** PostgreSqlDriver whose connections bind values as parameters (see above). */
export class RosterPostgreSqlDriver extends PostgreSqlDriver {
  constructor(config: Configuration) {
    super(config);
    replaceConnections(this, (options, type) => new ParameterizedPostgreSqlConnection(config, options, type));
  }
}

/** PgliteDriver whose connection binds values as parameters (see above). */
export class RosterPgliteDriver extends PgliteDriver {
  constructor(config: Configuration) {
    super(config);
    replaceConnections(this, (options, type) => new ParameterizedPgliteConnection(config, options, type));
  }
}

/** The base driver builds its connections in its constructor from a class we cannot pass in. */
function replaceConnections(driver: PostgreSqlDriver | PgliteDriver, make: (options: ConnectionOptions | undefined, type: ConnectionType) => AbstractSqlConnection): void {
  const d = driver as unknown as {
    connection: AbstractSqlConnection;
    replicas: AbstractSqlConnection[];
    createReplicas(cb: (options: ConnectionOptions) => AbstractSqlConnection): AbstractSqlConnection[];
  };
  d.connection = make(undefined, 'write');
  d.replicas = d.createReplicas((options) => make(options, 'read'));
}
