/**
 * The floor: a bare Koa server that answers the benchmark's requests with hand-written SQL on the
 * same tables and indexes as Roster (the database is created by Roster's migrations). No GraphQL
 * engine (the GraphQL lookup is answered by comparing the document with the one the bench sends),
 * no ORM, no auth check, no validation beyond what the statement needs: the lower bound of what
 * answering the request costs.
 *
 * Honest floors (issue "Performance, round two", point 6): each handler answers with the same
 * status and the same response body as Roster (same JSON shape; the bench compares the two, see
 * `shapeOf` in scenarios.ts), with the same durability: a write commits the change AND its
 * audit_events row (action, resource, changed attributes, actor, request id, as Roster writes
 * them) in ONE statement (data-modifying CTEs run in one implicit transaction, so both commit or
 * neither does), and ends a deactivated user's sessions in that statement as Roster does. One
 * statement per request wherever one suffices: every handler below runs exactly one.
 *
 * Run as a child process: `node dist/bench/floor.js` with PORT and either DATABASE_URL (a pg Pool,
 * as many connections as Roster's pool) or DATA_DIR (PGlite 0.5 on the folder, opened as Roster
 * opens it: openEmbedded takes the folder's lock and calls createPglite, same extensions; each
 * statement goes to `pglite.query` with `$n` parameters, the call Roster's driver ends in).
 *
 * Every statement runs as a named prepared statement (FLOOR_UNPREPARED=1 sends them unprepared):
 * Roster prepares its hot statements on both databases, so a floor that re-planned each one would
 * flatter Roster by exactly the cost of planning, not by anything a handler must do.
 */
import 'reflect-metadata';
import { createHash, randomBytes, randomUUID, scrypt as scryptCb, ScryptOptions } from 'node:crypto';
import http from 'node:http';
import Koa from 'koa';
import { Pool } from 'pg';
import { openEmbedded } from '../src/persistence/embedded.js';
import { queryPrepared } from '../src/persistence/sql/pglite-prepared.js';
import { GRAPHQL_LOOKUP } from './graphql-lookup.js';

type Row = Record<string, unknown>;
type Query = (sql: string, params?: unknown[]) => Promise<Row[]>;

const LIST_URN = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const USER_URN = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_URN = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const SCIM_TYPE = 'application/scim+json; charset=utf-8';

/** Same columns Roster reads for a user (everything but the password hash). */
const USER_COLUMNS = [
  'id',
  'user_name',
  'external_id',
  'active',
  'name_formatted',
  'name_family_name',
  'name_given_name',
  'name_middle_name',
  'name_honorific_prefix',
  'name_honorific_suffix',
  'display_name',
  'nick_name',
  'profile_url',
  'title',
  'user_type',
  'preferred_language',
  'locale',
  'timezone',
  'emails',
  'phone_numbers',
  'ims',
  'photos',
  'addresses',
  'entitlements',
  'roles',
  'x509certificates',
  'employee_number',
  'cost_center',
  'organization',
  'division',
  'department',
  'manager_value',
  'static_ip',
  'mac_address',
  'source',
  'created_at',
  'updated_at',
  'version',
]
  .map((c) => `u.${c}`)
  .join(', ');

/** A user's groups (Roster returns them with every user, as RFC 7643 §4.1.2 `groups`), as one correlated subquery. */
const USER_GROUPS = `(select coalesce(json_agg(json_build_object('value', g.id, 'display', g.display_name) order by g.display_name), '[]')
   from memberships m join groups g on g.id = m.group_id where m.member_id = u.id) as groups`;

const iso = (v: unknown) => (v instanceof Date ? v : new Date(String(v))).toISOString();
const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as unknown[];

function compact(o: Row): Row {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined));
}

/** A users row as a SCIM User: the attributes the seeded and created users carry. */
function toUser(r: Row, base: string): Row {
  const name = compact({ formatted: r.name_formatted, familyName: r.name_family_name, givenName: r.name_given_name, middleName: r.name_middle_name });
  const out: Row = { schemas: [USER_URN], id: r.id };
  if (r.external_id !== null) out.externalId = r.external_id;
  out.userName = r.user_name;
  if (Object.keys(name).length) out.name = name;
  Object.assign(out, compact({ displayName: r.display_name, nickName: r.nick_name, title: r.title, locale: r.locale, timezone: r.timezone }));
  out.active = r.active;
  const emails = json(r.emails);
  if (emails.length) out.emails = emails;
  const groups = json(r.groups ?? '[]') as Row[];
  if (r.groups !== undefined) out.groups = groups.map((g) => ({ value: g.value, $ref: `${base}/Groups/${String(g.value)}`, display: g.display, type: 'direct' }));
  out.meta = { resourceType: 'User', created: iso(r.created_at), lastModified: iso(r.updated_at), version: `W/"${String(r.version)}"`, location: `${base}/Users/${String(r.id)}` };
  return out;
}

function send(ctx: Koa.Context, status: number, body?: unknown, version?: unknown): void {
  ctx.status = status;
  if (version !== undefined && version !== null) ctx.set('ETag', `W/"${String(version)}"`);
  if (body !== undefined) {
    ctx.type = SCIM_TYPE;
    ctx.body = JSON.stringify(body);
  }
}

async function readJson(req: http.IncomingMessage): Promise<Row> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Row;
}

const scrypt = (pw: string, salt: Buffer) =>
  new Promise<Buffer>((resolve, reject) => scryptCb(pw, salt, 32, { N: 16384, r: 8, p: 1 } as ScryptOptions, (err, key) => (err ? reject(err) : resolve(key))));

/** The same slow hash Roster stores (scrypt N=16384 r=8 p=1): work the request names, not overhead. */
async function hashPassword(pw: string): Promise<string> {
  const salt = randomBytes(16);
  return `scrypt$16384$8$1$${salt.toString('base64')}$${(await scrypt(pw, salt)).toString('base64')}`;
}

/**
 * The audit row every write commits with its change, as Roster's recordAudit writes it: a new id,
 * now(), the actor (the floor's fixed id and label stand for the SCIM token), the action, the
 * resource, the changed attributes and the request id. `from` names the CTE whose rows were changed
 * (no row changed, no audit row, as in Roster); $a..$a+3 are id, actor id, actor label, request id.
 */
const auditFrom = (from: string, action: string, resourceType: string, changed: string, a: number) =>
  `insert into audit_events (id, at, actor_id, actor_label, action, resource_type, resource_id, changed, request_id)
   select $${a}::uuid, now(), $${a + 1}::uuid, $${a + 2}, '${action}', '${resourceType}', ${from}.id::text, ${changed}, $${a + 3} from ${from}`;

/** Who the floor's audit rows name (deleted when the floor stops). */
const FLOOR_ACTOR_ID = '00000000-0000-4000-8000-0000000f1002';
const FLOOR_ACTOR_LABEL = 'SCIM token for floor (okta)';
const audit = (requestId: string) => [randomUUID(), FLOOR_ACTOR_ID, FLOOR_ACTOR_LABEL, requestId];

/** The user columns a full PUT /Users writes: every writable attribute (omitted ones cleared, as Roster's replace). */
const USER_SET = `user_name = $2, external_id = $3, active = $4, name_formatted = $5, name_family_name = $6, name_given_name = $7,
  name_middle_name = $8, name_honorific_prefix = null, name_honorific_suffix = null, display_name = $9, nick_name = $10, profile_url = null,
  title = $11, user_type = null, preferred_language = null, locale = $12, timezone = $13, emails = $14::jsonb, email_index = $15::text[],
  phone_numbers = '[]', ims = '[]', photos = '[]', addresses = '[]', entitlements = '[]', roles = '[]', x509certificates = '[]',
  employee_number = null, cost_center = null, organization = null, division = null, department = null, manager_value = null,
  static_ip = null, mac_address = null, version = u.version + 1, updated_at = now()`;

/** Which attributes a PUT /Users changed (old row `o` vs new row `u`), for the audit row, as Roster lists them. */
const USER_CHANGED = `array_remove(array[
  case when o.user_name is distinct from u.user_name then 'userName' end,
  case when o.external_id is distinct from u.external_id then 'externalId' end,
  case when o.active is distinct from u.active then 'active' end,
  case when o.name_formatted is distinct from u.name_formatted then 'name.formatted' end,
  case when o.name_family_name is distinct from u.name_family_name then 'name.familyName' end,
  case when o.name_given_name is distinct from u.name_given_name then 'name.givenName' end,
  case when o.name_middle_name is distinct from u.name_middle_name then 'name.middleName' end,
  case when o.display_name is distinct from u.display_name then 'displayName' end,
  case when o.nick_name is distinct from u.nick_name then 'nickName' end,
  case when o.title is distinct from u.title then 'title' end,
  case when o.locale is distinct from u.locale then 'locale' end,
  case when o.timezone is distinct from u.timezone then 'timezone' end,
  case when o.emails is distinct from u.emails then 'emails' end], null)`;

/** Every statement the floor runs; each request runs exactly one of them (writes: change + audit row in one statement). */
const SQL = {
  // GET /Users?filter=userName eq: one indexed read, the user's groups in the same statement.
  lookup: `select ${USER_COLUMNS}, ${USER_GROUPS} from users u where u.user_name = $1`,
  // POST /graphql, the lookup's GraphQL form: the two columns its answer names, nothing else (no
  // groups: the document does not ask for them).
  graphqlLookup: `select u.id, u.user_name from users u where u.user_name = $1 limit 1`,
  // GET /Users/{id}: the same by primary key.
  byId: `select ${USER_COLUMNS}, ${USER_GROUPS} from users u where u.id = $1::uuid`,
  // The page's ids first (an index-only scan of (created_at, id) skips the offset), then the rows and
  // their groups for those 100 ids only: select-list subqueries would otherwise run for every skipped row.
  page: `select ${USER_COLUMNS}, ${USER_GROUPS}, (select count(*) from users)::int as total
    from (select id, created_at from users order by created_at, id limit $1 offset $2) p join users u on u.id = p.id
    order by p.created_at, p.id`,
  count: `select count(*)::int as total from users`,
  // POST /Users: the insert and its 'user.create' audit row in one statement; answers with the stored row.
  createUser: `
    with u as (
      insert into users (id, user_name, external_id, active, name_formatted, name_family_name, name_given_name, display_name, locale,
                         emails, email_index, password_hash, source, created_at, updated_at, version)
      values ($1::uuid, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11::text[], $12, 'okta', now(), now(), 1)
      returning ${USER_COLUMNS.replace(/u\./g, '')}),
    a as (${auditFrom('u', 'user.create', 'User', '$13::text[]', 14)})
    select * from u`,
  // PUT /Users/{id} (Okta's profile push): the old row locked, every writable attribute replaced,
  // version bumped, a 'user.update' audit row naming the changed attributes; answers with the new
  // row and the user's groups (Roster's answer carries them).
  replaceUser: `
    with o as (select * from users where id = $1::uuid for update),
    upd as (update users u set ${USER_SET} from o where u.id = o.id returning u.*, ${USER_CHANGED} as changed),
    a as (${auditFrom('upd', 'user.update', 'User', 'upd.changed', 16)})
    select ${USER_COLUMNS}, ${USER_GROUPS} from upd u`,
  // PATCH /Users/{id} replace active (deactivate / reactivate): the flag, version, the user's live
  // sessions ended on deactivation (as Roster does, same transaction) and a 'user.update' audit row;
  // nothing when the flag does not change. Answers 204 with the ETag, as Roster.
  setActive: `
    with o as (select id, active, version from users where id = $1::uuid for update),
    upd as (update users u set active = $2, version = u.version + 1, updated_at = now() from o
            where u.id = o.id and o.active is distinct from $2 returning u.id, u.version),
    s as (update sessions set ended_at = now(), end_reason = 'user_deactivated'
          where user_id = $1::uuid and ended_at is null and not $2 and exists (select 1 from upd) returning 1),
    a as (${auditFrom('upd', 'user.update', 'User', `array['active']`, 3)})
    select coalesce((select version from upd), o.version) as version from o`,
  // Okta's full-list PUT /Groups: delete the members not listed, insert the listed ones that are
  // not members yet, replace displayName and externalId ($8; omitted = cleared, as Roster's replace),
  // bump the version and write a 'group.update' audit row when anything changed,
  // answer with the group and its (new) member list in member id order (Roster's order).
  replaceGroup: `
    with g0 as (select id, display_name, external_id from groups where id = $1::uuid),
    want as (select distinct x.v::uuid as id from jsonb_array_elements_text($2::jsonb) as x(v)),
    del as (delete from memberships m where m.group_id = $1::uuid and not exists (select 1 from want w where w.id = m.member_id) returning 1),
    ins as (insert into memberships (group_id, member_id, member_type)
            select $1::uuid, u.id, 'User' from want w join users u on u.id = w.id
            where not exists (select 1 from memberships m where m.group_id = $1::uuid and m.member_id = w.id) returning 1),
    upd as (update groups g set display_name = $3, external_id = $8, version = g.version + 1, updated_at = now() from g0
            where g.id = g0.id and (exists (select 1 from del) or exists (select 1 from ins) or g0.display_name is distinct from $3::citext
                                    or g0.external_id is distinct from $8::text)
            returning g.id, g.display_name, g.external_id, g.created_at, g.updated_at, g.version,
                      array_remove(array[case when g0.display_name is distinct from $3::citext then 'displayName' end,
                                         case when g0.external_id is distinct from $8::text then 'externalId' end,
                                         case when exists (select 1 from del) or exists (select 1 from ins) then 'members' end], null) as changed),
    a as (${auditFrom('upd', 'group.update', 'Group', 'upd.changed', 4)}),
    cur as (select id, display_name, external_id, created_at, updated_at, version from upd
            union all select id, display_name, external_id, created_at, updated_at, version from groups
            where id = $1::uuid and not exists (select 1 from upd))
    select cur.*, (select coalesce(json_agg(json_build_object('value', u.id, 'display', coalesce(u.display_name, u.user_name)) order by u.id), '[]')
                   from want w join users u on u.id = w.id) as members
    from cur`,
  // PATCH /Groups add one member: insert, version bump and 'group.update' audit row, only when the
  // member was not there yet (then the version is read instead, for the ETag).
  addMember: `
    with ins as (insert into memberships (group_id, member_id, member_type) select $1::uuid, u.id, 'User' from users u where u.id = $2::uuid
                 on conflict do nothing returning 1),
    upd as (update groups set version = version + 1, updated_at = now() where id = $1::uuid and exists (select 1 from ins) returning id, version),
    a as (${auditFrom('upd', 'group.update', 'Group', `array['members']`, 3)})
    select coalesce((select version from upd), g.version) as version from groups g where g.id = $1::uuid`,
  // PATCH /Groups remove members[value eq]: the same with a delete.
  removeMember: `
    with del as (delete from memberships where group_id = $1::uuid and member_id = $2::uuid returning 1),
    upd as (update groups set version = version + 1, updated_at = now() where id = $1::uuid and exists (select 1 from del) returning id, version),
    a as (${auditFrom('upd', 'group.update', 'Group', `array['members']`, 3)})
    select coalesce((select version from upd), g.version) as version from groups g where g.id = $1::uuid`,
};

const ID = '([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})';
const notFound = (ctx: Koa.Context, what: string) => send(ctx, 404, { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], detail: `${what} not found.`, status: '404' });

/** The columns of a SCIM User body that PUT /Users writes, in USER_SET's order ($2…$15). */
function userParams(b: Row): unknown[] {
  const name = (b.name ?? {}) as Row;
  const emails = Array.isArray(b.emails) ? (b.emails as Row[]) : [];
  return [
    b.userName,
    b.externalId ?? null,
    b.active ?? true,
    name.formatted ?? null,
    name.familyName ?? null,
    name.givenName ?? null,
    name.middleName ?? null,
    b.displayName ?? null,
    b.nickName ?? null,
    b.title ?? null,
    b.locale ?? null,
    b.timezone ?? null,
    JSON.stringify(emails),
    emails.map((e) => String(e.value ?? '').toLowerCase()),
  ];
}

function app(q: Query, base: string): Koa {
  const koa = new Koa();
  koa.use(async (ctx) => {
    const p = ctx.path;
    // Roster answers every request with a request id (and records it in the audit row): so does the floor.
    const requestId = randomUUID();
    ctx.set('X-Request-Id', requestId);
    if (ctx.method === 'GET' && p === '/healthz') {
      ctx.body = 'ok';
      return;
    }
    if (ctx.method === 'GET' && p === '/scim/v2/Users') {
      const filter = typeof ctx.query.filter === 'string' ? ctx.query.filter : undefined;
      if (filter !== undefined) {
        const m = /^userName eq "(.*)"$/.exec(filter);
        if (!m) return send(ctx, 400, { detail: 'the floor only knows userName eq' });
        const rows = await q(SQL.lookup, [m[1]]);
        return send(ctx, 200, { schemas: [LIST_URN], totalResults: rows.length, startIndex: 1, itemsPerPage: rows.length, Resources: rows.map((r) => toUser(r, base)) });
      }
      const startIndex = Math.max(1, Number(ctx.query.startIndex ?? 1) || 1);
      const count = Math.min(1000, Math.max(0, Number(ctx.query.count ?? 100) || 0));
      const rows = count ? await q(SQL.page, [count, startIndex - 1]) : [];
      const total = rows.length ? Number(rows[0].total) : Number((await q(SQL.count))[0].total);
      return send(ctx, 200, { schemas: [LIST_URN], totalResults: total, startIndex, itemsPerPage: rows.length, Resources: rows.map((r) => toUser(r, base)) });
    }
    if (ctx.method === 'POST' && p === '/graphql') {
      // The one document the bench sends (bench/graphql-lookup.ts), answered as Roster's Apollo
      // answers it: the same JSON body and content type.
      const b = await readJson(ctx.req);
      const u = (b.variables as Row | undefined)?.u;
      if (b.query !== GRAPHQL_LOOKUP || typeof u !== 'string') return send(ctx, 400, { detail: 'the floor only knows the bench lookup document' });
      const rows = await q(SQL.graphqlLookup, [u]);
      ctx.type = 'application/json';
      ctx.body = JSON.stringify({ data: { users: { nodes: rows.map((r) => ({ id: r.id, userName: r.user_name })) } } });
      return;
    }
    if (ctx.method === 'POST' && p === '/scim/v2/Users') {
      const b = await readJson(ctx.req);
      const name = (b.name ?? {}) as Row;
      const emails = Array.isArray(b.emails) ? (b.emails as Row[]) : [];
      const passwordHash = typeof b.password === 'string' ? await hashPassword(b.password) : null;
      const changed = Object.keys(b).filter((k) => k !== 'schemas' && k !== 'password' && k !== 'groups');
      const rows = await q(SQL.createUser, [
        randomUUID(),
        b.userName,
        b.externalId ?? null,
        b.active ?? true,
        name.formatted ?? null,
        name.familyName ?? null,
        name.givenName ?? null,
        b.displayName ?? null,
        b.locale ?? null,
        JSON.stringify(emails),
        emails.map((e) => String(e.value ?? '').toLowerCase()),
        passwordHash,
        changed,
        ...audit(requestId),
      ]);
      ctx.set('Location', `${base}/Users/${String(rows[0].id)}`);
      return send(ctx, 201, toUser({ ...rows[0], groups: '[]' }, base), rows[0].version);
    }
    const user = new RegExp(`^/scim/v2/Users/${ID}$`).exec(p);
    if (user && ctx.method === 'GET') {
      const rows = await q(SQL.byId, [user[1]]);
      if (!rows.length) return notFound(ctx, `User "${user[1]}"`);
      return send(ctx, 200, toUser(rows[0], base), rows[0].version);
    }
    if (user && ctx.method === 'PUT') {
      const b = await readJson(ctx.req);
      const rows = await q(SQL.replaceUser, [user[1], ...userParams(b), ...audit(requestId)]);
      if (!rows.length) return notFound(ctx, `User "${user[1]}"`);
      return send(ctx, 200, toUser(rows[0], base), rows[0].version);
    }
    if (user && ctx.method === 'PATCH') {
      // The operation the bench sends: replace {active: bool} (or path "active").
      const b = await readJson(ctx.req);
      const op = ((b.Operations as Row[]) ?? [])[0] ?? {};
      const active = op.path === 'active' ? op.value : ((op.value ?? {}) as Row).active;
      if (String(op.op ?? '').toLowerCase() !== 'replace' || typeof active !== 'boolean') return send(ctx, 400, { detail: 'the floor only knows replace active' });
      const rows = await q(SQL.setActive, [user[1], active, ...audit(requestId)]);
      if (!rows.length) return notFound(ctx, `User "${user[1]}"`);
      return send(ctx, 204, undefined, rows[0].version);
    }
    const group = new RegExp(`^/scim/v2/Groups/${ID}$`).exec(p);
    if (group && ctx.method === 'PUT') {
      const b = await readJson(ctx.req);
      const members = (Array.isArray(b.members) ? (b.members as Row[]) : []).map((m) => String(m.value));
      // A replace: an omitted externalId is cleared, as Roster's PUT does.
      const rows = await q(SQL.replaceGroup, [group[1], JSON.stringify(members), b.displayName, ...audit(requestId), b.externalId ?? null]);
      if (!rows.length) return notFound(ctx, `Group "${group[1]}"`);
      const r = rows[0];
      const memberList = (json(r.members) as Row[]).map((m) => ({ value: m.value, $ref: `${base}/Users/${String(m.value)}`, display: m.display, type: 'User' }));
      return send(
        ctx,
        200,
        {
          schemas: [GROUP_URN],
          id: r.id,
          ...(r.external_id !== null ? { externalId: r.external_id } : {}),
          displayName: r.display_name,
          members: memberList,
          meta: { resourceType: 'Group', created: iso(r.created_at), lastModified: iso(r.updated_at), version: `W/"${String(r.version)}"`, location: `${base}/Groups/${String(r.id)}` },
        },
        r.version,
      );
    }
    if (group && ctx.method === 'PATCH') {
      // The two operations the bench sends: add [{value}] to members, remove members[value eq "…"].
      const b = await readJson(ctx.req);
      const op = ((b.Operations as Row[]) ?? [])[0] ?? {};
      const kind = String(op.op ?? '').toLowerCase();
      let member: string | undefined;
      if (kind === 'add' && op.path === 'members' && Array.isArray(op.value)) member = String((op.value[0] as Row).value);
      if (kind === 'remove') member = /^members\[value eq "(.*)"\]$/.exec(String(op.path ?? ''))?.[1];
      if (!member) return send(ctx, 400, { detail: 'the floor only knows add members / remove members[value eq]' });
      const rows = await q(kind === 'add' ? SQL.addMember : SQL.removeMember, [group[1], member, ...audit(requestId)]);
      if (!rows.length) return notFound(ctx, `Group "${group[1]}"`);
      return send(ctx, 204, undefined, rows[0].version);
    }
    send(ctx, 404, { detail: `the floor does not answer ${ctx.method} ${p}` });
  });
  return koa;
}

/** A statement's name: its text's hash (the floor's statements are a fixed few). */
const nameOf = (sql: string) => `floor_${createHash('md5').update(sql).digest('hex').slice(0, 20)}`;

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 0);
  const unprepared = process.env.FLOOR_UNPREPARED === '1';
  const base = `http://localhost:${port}/scim/v2`;
  let q: Query;
  let close: () => Promise<void>;
  if (process.env.DATABASE_URL) {
    const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.FLOOR_POOL ?? 10) });
    q = unprepared ? async (sql, params) => (await pool.query(sql, params)).rows as Row[] : async (sql, params) => (await pool.query({ name: nameOf(sql), text: sql, values: params })).rows as Row[];
    close = () => pool.end();
  } else {
    const dir = process.env.DATA_DIR;
    if (!dir) throw new Error('set DATABASE_URL or DATA_DIR');
    const db = await openEmbedded(dir);
    q = unprepared ? async (sql, params) => (await db.pglite.query<Row>(sql, params)).rows : async (sql, params) => queryPrepared(db.pglite, nameOf(sql), sql, params ?? []);
    close = () => db.release();
  }
  const server = http.createServer(app(q, base).callback());
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    server.closeAllConnections();
    server.close();
    // The create scenario's users go (and their dead rows), so that Roster's phase reads the same directory.
    await q(`delete from users where user_name like 'bench-create-%'`).catch(() => undefined);
    // The floor's audit rows go too: Roster's phase starts from the same audit table.
    await q('delete from audit_events where actor_id = $1::uuid', [FLOOR_ACTOR_ID]).catch(() => undefined);
    await q('vacuum analyze users').catch(() => undefined);
    await q('vacuum analyze audit_events').catch(() => undefined);
    await close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

main().catch((err) => {
  process.stderr.write(`floor failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
