/**
 * The floor: a bare Koa server that answers the benchmark's requests, each with ONE hand-written
 * SQL statement on the same tables and indexes as Roster (the database is created by Roster's
 * migrations). No GraphQL, no ORM, no auth check, no audit row, no validation beyond what the
 * statement needs: it is the lower bound of what answering the request costs.
 *
 * Run as a child process: `node dist/bench/floor.js` with PORT and either DATABASE_URL (a pg Pool,
 * as many connections as Roster's pool) or DATA_DIR (PGlite 0.5 on the folder, opened as Roster
 * opens it: openEmbedded takes the folder's lock and calls createPglite, same extensions; each
 * statement goes to `pglite.query` with `$n` parameters, the call Roster's driver ends in).
 */
import 'reflect-metadata';
import { randomBytes, randomUUID, scrypt as scryptCb, ScryptOptions } from 'node:crypto';
import http from 'node:http';
import Koa from 'koa';
import { Pool } from 'pg';
import { openEmbedded } from '../src/persistence/embedded.js';

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

/** Every statement the floor runs; each request runs exactly one of them. */
const SQL = {
  lookup: `select ${USER_COLUMNS}, ${USER_GROUPS} from users u where u.user_name = $1`,
  // The page's ids first (an index-only scan of (created_at, id) skips the offset), then the rows and
  // their groups for those 100 ids only: select-list subqueries would otherwise run for every skipped row.
  page: `select ${USER_COLUMNS}, ${USER_GROUPS}, (select count(*) from users)::int as total
    from (select id, created_at from users order by created_at, id limit $1 offset $2) p join users u on u.id = p.id
    order by p.created_at, p.id`,
  count: `select count(*)::int as total from users`,
  // Okta's full-list PUT /Groups: delete the members not listed, insert the listed ones that are
  // not members yet, bump the version, answer with the group and its (new) member list.
  replaceGroup: `
    with want as (select distinct x.v::uuid as id from jsonb_array_elements_text($2::jsonb) as x(v)),
    del as (delete from memberships m where m.group_id = $1::uuid and not exists (select 1 from want w where w.id = m.member_id) returning 1),
    ins as (insert into memberships (group_id, member_id, member_type)
            select $1::uuid, u.id, 'User' from want w join users u on u.id = w.id
            where not exists (select 1 from memberships m where m.group_id = $1::uuid and m.member_id = w.id) returning 1),
    upd as (update groups set display_name = $3, version = version + 1, updated_at = now() where id = $1::uuid
            returning id, display_name, external_id, created_at, updated_at, version)
    select upd.*, (select count(*) from del)::int as removed, (select count(*) from ins)::int as added,
           (select coalesce(json_agg(json_build_object('value', u.id, 'display', coalesce(u.display_name, u.user_name))), '[]')
              from want w join users u on u.id = w.id) as members
    from upd`,
  addMember: `
    with ins as (insert into memberships (group_id, member_id, member_type) select $1::uuid, u.id, 'User' from users u where u.id = $2::uuid
                 on conflict do nothing returning 1)
    update groups set version = version + 1, updated_at = now() where id = $1::uuid and exists (select 1 from ins) returning version`,
  removeMember: `
    with del as (delete from memberships where group_id = $1::uuid and member_id = $2::uuid returning 1)
    update groups set version = version + 1, updated_at = now() where id = $1::uuid and exists (select 1 from del) returning version`,
  createUser: `
    insert into users (id, user_name, external_id, active, name_formatted, name_family_name, name_given_name, display_name, locale,
                       emails, email_index, password_hash, source, created_at, updated_at, version)
    values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11::text[], $12, 'okta', now(), now(), 1)
    returning ${USER_COLUMNS.replace(/u\./g, '')}`,
};

function app(q: Query, base: string): Koa {
  const koa = new Koa();
  koa.use(async (ctx) => {
    const p = ctx.path;
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
    if (ctx.method === 'POST' && p === '/scim/v2/Users') {
      const b = await readJson(ctx.req);
      const name = (b.name ?? {}) as Row;
      const emails = Array.isArray(b.emails) ? (b.emails as Row[]) : [];
      const passwordHash = typeof b.password === 'string' ? await hashPassword(b.password) : null;
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
      ]);
      ctx.set('Location', `${base}/Users/${String(rows[0].id)}`);
      return send(ctx, 201, toUser({ ...rows[0], groups: '[]' }, base), rows[0].version);
    }
    const group = /^\/scim\/v2\/Groups\/([0-9a-f-]{36})$/.exec(p);
    if (group && ctx.method === 'PUT') {
      const b = await readJson(ctx.req);
      const members = (Array.isArray(b.members) ? (b.members as Row[]) : []).map((m) => String(m.value));
      const rows = await q(SQL.replaceGroup, [group[1], JSON.stringify(members), b.displayName]);
      if (!rows.length) return send(ctx, 404, { detail: 'no such group' });
      const r = rows[0];
      const memberList = (json(r.members) as Row[]).map((m) => ({ value: m.value, $ref: `${base}/Users/${String(m.value)}`, display: m.display, type: 'User' }));
      return send(
        ctx,
        200,
        {
          schemas: [GROUP_URN],
          id: r.id,
          externalId: r.external_id,
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
      const rows = await q(kind === 'add' ? SQL.addMember : SQL.removeMember, [group[1], member]);
      return send(ctx, 204, undefined, rows[0]?.version);
    }
    send(ctx, 404, { detail: `the floor does not answer ${ctx.method} ${p}` });
  });
  return koa;
}

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 0);
  const base = `http://localhost:${port}/scim/v2`;
  let q: Query;
  let close: () => Promise<void>;
  if (process.env.DATABASE_URL) {
    const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.FLOOR_POOL ?? 10) });
    q = async (sql, params) => (await pool.query(sql, params)).rows as Row[];
    close = () => pool.end();
  } else {
    const dir = process.env.DATA_DIR;
    if (!dir) throw new Error('set DATABASE_URL or DATA_DIR');
    const db = await openEmbedded(dir);
    q = async (sql, params) => (await db.pglite.query<Row>(sql, params)).rows;
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
    await q('vacuum analyze users').catch(() => undefined);
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
