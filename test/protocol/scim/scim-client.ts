import { querySql } from '../../support/sql.js';
import type { Response, Test } from 'supertest';
import { ScimTestApp } from './scim-app.js';

/** The SCIM URNs the tests send and expect. */
export const URN = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  enterprise: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  product: 'urn:ietf:params:scim:schemas:extension:querypie:2.0:User',
  patch: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  list: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  search: 'urn:ietf:params:scim:api:messages:2.0:SearchRequest',
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
} as const;

/** A JSON object as the tests read it from a response. */
export type Json = Record<string, unknown>;

/** A SCIM ListResponse. */
export interface ListBody {
  schemas: string[];
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  Resources: Json[];
}

let counter = 0;
/** A name no other test (or test file on a shared server) uses. */
export const unique = (prefix: string): string => `${prefix}-${process.pid}-${++counter}-${Math.random().toString(36).slice(2, 8)}`;

/** An authenticated SCIM client over HTTP; bodies go out as application/scim+json. */
export interface ScimClient {
  get(path: string): Test;
  delete(path: string): Test;
  post(path: string, body: unknown): Test;
  put(path: string, body: unknown): Test;
  patch(path: string, body: unknown): Test;
  /** any method, no body */
  call(method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string): Test;
}

/** A client that sends `token` (the app's SCIM token by default) to /scim/v2. */
export function scimClient(app: ScimTestApp, token: string | undefined = app.token): ScimClient {
  const call = (method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string): Test => {
    const req = app.http[method](`/scim/v2${path}`);
    return token === undefined ? req : req.set('Authorization', `Bearer ${token}`);
  };
  const withBody = (method: 'post' | 'put' | 'patch') => (path: string, body: unknown) =>
    call(method, path)
      .set('Content-Type', 'application/scim+json')
      .send(typeof body === 'string' ? body : JSON.stringify(body));
  return { get: (p) => call('get', p), delete: (p) => call('delete', p), post: withBody('post'), put: withBody('put'), patch: withBody('patch'), call };
}

/** A PatchOp message from its operations. */
export const patchOp = (...ops: Json[]): Json => ({ schemas: [URN.patch], Operations: ops });

/** A User body with a fresh userName, plus overrides. */
export const userBody = (overrides: Json = {}): Json => ({ schemas: [URN.user], userName: unique('user'), ...overrides });

/** POSTs a user and returns the created resource (fails the test unless 201). */
export async function createUser(c: ScimClient, overrides: Json = {}): Promise<Json & { id: string; userName: string }> {
  const res = await c.post('/Users', userBody(overrides));
  if (res.status !== 201) throw new Error(`POST /Users answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as Json & { id: string; userName: string };
}

/** POSTs a group with the given member ids and returns the created resource. */
export async function createGroup(c: ScimClient, memberIds: string[] = [], overrides: Json = {}): Promise<Json & { id: string; displayName: string }> {
  const res = await c.post('/Groups', { schemas: [URN.group], displayName: unique('group'), members: memberIds.map((value) => ({ value })), ...overrides });
  if (res.status !== 201) throw new Error(`POST /Groups answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as Json & { id: string; displayName: string };
}

/** Asserts an RFC 7644 §3.12 error body with this status (as a string) and scimType. */
export function expectScimError(res: Response, status: number, scimType?: string): void {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${res.text}`);
  expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
  expect(res.body).toMatchObject({ schemas: [URN.error], status: String(status) });
  expect(typeof res.body.detail).toBe('string');
  if (scimType === undefined) expect(res.body.scimType).toBeUndefined();
  else expect(res.body.scimType).toBe(scimType);
}

/** Runs SQL on the test database (ids, counts, seeding). */
export function sql<T extends object>(app: ScimTestApp, query: string, bindings: unknown[] = []): Promise<T[]> {
  return querySql<T>(app.db, query, bindings);
}

/**
 * Inserts `n` local users named `<prefix>-000001`… straight into the table (fast seeding), all with
 * the same created_at so that the default order rests on its id tiebreak; returns their ids.
 */
export async function seedUsers(app: ScimTestApp, prefix: string, n: number): Promise<string[]> {
  const rows = await sql<{ id: string }>(
    app,
    `insert into users (id, user_name, created_at, updated_at)
     select gen_random_uuid(), ? || '-' || lpad(g::text, 6, '0'), now(), now() from generate_series(1, ?::int) as g
     returning id::text as id`,
    [prefix, n],
  );
  return rows.map((r) => r.id);
}

/** The member ids of a group, read from the database. */
export async function memberIds(app: ScimTestApp, groupId: string): Promise<string[]> {
  return (await sql<{ id: string }>(app, 'select member_id::text as id from memberships where group_id = ? order by member_id', [groupId])).map((r) => r.id);
}
