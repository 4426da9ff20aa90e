import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createApp, type RosterApp } from '../../src/app.js';
import { bootstrap } from '../../src/bootstrap.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import { createLogger } from '../../src/http/logger.js';
import type { Database } from '../../src/persistence/database.js';
import { createTestDatabase } from './db.js';
import { querySql } from './sql.js';

/** The OWNER key the test app is bootstrapped with (ROSTER_BOOTSTRAP_ADMIN_TOKEN). */
export const OWNER_KEY = 'rk_test_owner_key_0123456789abcdefghijklmnop';

/** The public URL the test app believes it has; SCIM base URLs are built from it. */
export const PUBLIC_URL = 'http://roster.test';

/** A GraphQL error as it reaches the client. */
export interface GqlError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; [k: string]: unknown };
}

/** What a GraphQL call answered, over HTTP. */
export interface GqlResult<T> {
  status: number;
  data: T | null;
  errors: GqlError[];
  /** extensions.code of every error, in order */
  codes: string[];
}

/** A running Roster on a real database, reachable over real HTTP. */
export interface TestApp {
  config: Config;
  db: Database;
  roster: RosterApp;
  server: Server;
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  /** Runs a GraphQL operation with `key` as bearer (default: the OWNER key; null: no header). */
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, key?: string | null): Promise<GqlResult<T>>;
  /** Like gql, but fails the test on any error and returns the data. */
  ok<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, key?: string | null): Promise<T>;
  /** Raw SQL for assertions on what was (or was not) written. */
  sql<T = Record<string, unknown>>(text: string, bindings?: unknown[]): Promise<T[]>;
  /** Creates an API key of this role through GraphQL and returns its secret. */
  apiKey(role: 'OWNER' | 'ADMIN' | 'READER', name?: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * One database, one app and one OWNER key for a whole test file: opening PGlite costs ~1.5 s, so
 * files share it across their tests and keep their data apart by unique names.
 */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  // Rate limiting off: the concurrency tests fire bursts from one key. GraphQL documents run
  // compiled from their first use, so that every GraphQL test exercises the compiled path a
  // repeated document takes in production (compiled-execution.test.ts covers the switch-over).
  const config = loadConfig({
    PUBLIC_URL,
    ROSTER_BOOTSTRAP_ADMIN_TOKEN: OWNER_KEY,
    RATE_LIMIT_PER_MINUTE: '0',
    AUTH_FAILURES_PER_MINUTE: '0',
    LOG_LEVEL: 'silent',
    GRAPHQL_COMPILE_AFTER: '1',
    ...env,
  });
  const logger = createLogger(config.logLevel);
  await bootstrap(config, db, logger);
  const roster = await createApp({ config, db, logger });
  const server = http.createServer(roster.app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const gql = async <T>(query: string, variables: Record<string, unknown> = {}, key: string | null = OWNER_KEY): Promise<GqlResult<T>> => {
    let req = request(server).post('/graphql').set('content-type', 'application/json').set('accept', 'application/json');
    if (key !== null) req = req.set('authorization', `Bearer ${key}`);
    const res = await req.send({ query, variables });
    const body = (res.body ?? {}) as { data?: T | null; errors?: GqlError[] };
    const errors = body.errors ?? [];
    return { status: res.status, data: body.data ?? null, errors, codes: errors.map((e) => String(e.extensions?.code)) };
  };
  const ok = async <T>(query: string, variables?: Record<string, unknown>, key?: string | null): Promise<T> => {
    const r = await gql<T>(query, variables, key);
    if (r.errors.length) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors, null, 2)}`);
    return r.data as T;
  };
  const sql = <T>(text: string, bindings: unknown[] = []): Promise<T[]> => querySql<T>(db, text, bindings);
  const apiKey = async (role: 'OWNER' | 'ADMIN' | 'READER', name = `${role.toLowerCase()} key`): Promise<string> => {
    const d = await ok<{ createApiKey: { secret: string } }>('mutation($n: String!, $r: String!) { createApiKey(name: $n, role: $r) { secret } }', { n: name, r: role });
    return d.createApiKey.secret;
  };

  return {
    config,
    db,
    roster,
    server,
    baseUrl,
    gql,
    ok,
    sql,
    apiKey,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await roster.close();
      await db.close();
    },
  };
}

/** A name no other test in the file uses. */
export function unique(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
}
