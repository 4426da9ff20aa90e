import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { citext } from '@electric-sql/pglite/contrib/citext';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { hashSecret } from '../../src/domain/credentials/secrets.js';
import { detectPgliteVersion, upgradeEmbeddedData, type UpgradeLog } from '../../src/persistence/embedded-upgrade.js';

/**
 * A data folder written by Roster 0.1 (PGlite 0.3, PostgreSQL 17) is upgraded to PostgreSQL 18 on
 * first start: same tables, same content, the old folder kept, and the old secrets still valid.
 * The archive and its expected content are in test/fixtures/embedded (see the README there).
 */
const FIXTURES = path.resolve(process.cwd(), 'test/fixtures/embedded');
const ARCHIVE = path.join(FIXTURES, 'pglite-0.3-roster-0.1.tar.gz');

interface Expected {
  tables: Record<string, { primaryKey: string[]; rowCount: number; checksum: string }>;
  secrets: { ownerKey: string; oktaScimToken: string; readerKey: string; entraScimToken: string; revokedAdminKey: string };
  samples: {
    users: { userName: string; displayName: string | null }[];
    groups: { displayName: string; memberCount: number }[];
    credentials: { name: string; prefix: string }[];
  };
}

const tmpDirs: string[] = [];
const messages: string[] = [];
const log: UpgradeLog = {
  info: (o, m) => void messages.push(`info: ${typeof o === 'string' ? o : m}`),
  warn: (o, m) => void messages.push(`warn: ${typeof o === 'string' ? o : m}`),
};
let expected: Expected;
let dataDir: string;
let pg: PGlite;

/** A new DATA_DIR holding the Roster 0.1 archive, as an admin's folder would be. */
async function extractArchive(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'roster-upgrade-'));
  tmpDirs.push(dir);
  execFileSync('tar', ['-xzf', ARCHIVE, '-C', dir]);
  return dir;
}

const openUpgraded = (dir: string) => PGlite.create({ dataDir: path.join(dir, 'pgdata'), extensions: { citext, pg_trgm } });

beforeAll(async () => {
  expected = JSON.parse(await readFile(path.join(FIXTURES, 'pglite-0.3-roster-0.1.expected.json'), 'utf8')) as Expected;
  dataDir = await extractArchive();
  expect(await detectPgliteVersion(path.join(dataDir, 'pgdata'))).toBe(17);
  const result = await upgradeEmbeddedData(dataDir, log);
  expect(result.upgraded).toBe(true);
  pg = await openUpgraded(dataDir);
  // The same text output as when the checksums were recorded on PostgreSQL 17.
  await pg.exec(`SET TimeZone = 'UTC'; SET DateStyle = 'ISO, MDY'; SET IntervalStyle = 'postgres'; SET extra_float_digits = 1;`);
}, 180_000);

afterAll(async () => {
  await pg?.close();
  await Promise.all(tmpDirs.map((d) => rm(d, { recursive: true, force: true })));
});

test('the folder is now PostgreSQL 18 and the PostgreSQL 17 one is kept beside it', async () => {
  expect(await detectPgliteVersion(path.join(dataDir, 'pgdata'))).toBe(18);
  const entries = await readdir(dataDir);
  expect(entries).not.toContain('pgdata.upgrading');
  const backups = entries.filter((e) => e.startsWith('pgdata.pg17-backup-'));
  expect(backups).toHaveLength(1);
  expect((await readFile(path.join(dataDir, backups[0]!, 'PG_VERSION'), 'utf8')).trim()).toBe('17');
  expect(messages[0]).toMatch(/^info: Upgrading the embedded database from PGlite 0\.3 \(PostgreSQL 17\) to PostgreSQL 18; the old folder is kept as .*pgdata\.pg17-backup-/);
});

test('every table has the same rows and the same content as under PostgreSQL 17', async () => {
  const tables = await pg.query<{ tablename: string }>(`select tablename from pg_tables where schemaname = 'public' order by tablename`);
  expect(tables.rows.map((r) => r.tablename)).toEqual(Object.keys(expected.tables).sort());
  for (const [table, e] of Object.entries(expected.tables)) {
    const order = e.primaryKey.map((c) => `"${c}"`).join(', ');
    const r = await pg.query<{ rowCount: number; checksum: string }>(
      `select count(*)::int as "rowCount", md5(coalesce(string_agg(t::text, '|' order by ${order}), '')) as checksum from public."${table}" t`,
    );
    expect({ table, ...r.rows[0] }).toEqual({ table, rowCount: e.rowCount, checksum: e.checksum });
  }
});

test('names with quotes, backslashes, percent signs, accents and emoji come through', async () => {
  const users = await pg.query<{ userName: string; displayName: string | null }>(`select user_name as "userName", display_name as "displayName" from users order by user_name`);
  expect(users.rows).toEqual(expected.samples.users.map(({ userName, displayName }) => ({ userName, displayName })));
  const groups = await pg.query<{ displayName: string }>(`select display_name as "displayName" from groups order by display_name`);
  expect(groups.rows.map((g) => g.displayName)).toEqual(expected.samples.groups.map((g) => g.displayName));
  const creds = await pg.query<{ name: string; prefix: string }>(`select name, prefix from credentials order by created_at, id`);
  expect(creds.rows).toEqual(expected.samples.credentials.map(({ name, prefix }) => ({ name, prefix })));
});

test('the API keys and SCIM tokens issued before the upgrade still match, and the revoked one stays revoked', async () => {
  const s = expected.secrets;
  const find = async (secret: string) =>
    (
      await pg.query<{ kind: string; role: string; idp: string | null; revoked: boolean }>(`select kind, role, idp, revoked_at is not null as revoked from credentials where secret_hash = $1`, [
        hashSecret(secret),
      ])
    ).rows;
  expect(await find(s.ownerKey)).toEqual([{ kind: 'api_key', role: 'OWNER', idp: null, revoked: false }]);
  expect(await find(s.readerKey)).toEqual([{ kind: 'api_key', role: 'READER', idp: null, revoked: false }]);
  expect(await find(s.oktaScimToken)).toEqual([{ kind: 'scim_token', role: 'PROVISIONER', idp: 'okta', revoked: false }]);
  expect(await find(s.entraScimToken)).toEqual([{ kind: 'scim_token', role: 'PROVISIONER', idp: 'entra', revoked: false }]);
  expect(await find(s.revokedAdminKey)).toEqual([{ kind: 'api_key', role: 'ADMIN', idp: null, revoked: true }]);
});

test('citext uniqueness and pg_trgm work on the upgraded database', async () => {
  const first = expected.samples.users[0]!.userName;
  const r = await pg.query<{ n: number }>(`select count(*)::int as n from users where user_name = $1`, [first.toUpperCase()]);
  expect(r.rows[0]!.n).toBe(1);
  await expect(pg.query(`insert into users (id, user_name, created_at, updated_at) values (gen_random_uuid(), $1, now(), now())`, [first.toUpperCase()])).rejects.toThrow(/users_user_name_unique/);
  const sim = await pg.query<{ s: number }>(`select similarity('lovelace', 'lovelance') as s`);
  expect(sim.rows[0]!.s).toBeGreaterThan(0.3);
});

test('a second call does nothing', async () => {
  const before = (await readdir(dataDir)).sort();
  await expect(upgradeEmbeddedData(dataDir, log)).resolves.toEqual({ upgraded: false });
  expect((await readdir(dataDir)).sort()).toEqual(before);
});

test('an empty or missing folder is new, not old', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'roster-upgrade-empty-'));
  tmpDirs.push(dir);
  expect(await detectPgliteVersion(path.join(dir, 'pgdata'))).toBeNull();
  await mkdir(path.join(dir, 'pgdata'));
  expect(await detectPgliteVersion(path.join(dir, 'pgdata'))).toBeNull();
  await expect(upgradeEmbeddedData(dir, log)).resolves.toEqual({ upgraded: false });
});

test('a copy left by an attempt that died is deleted and the upgrade runs again', async () => {
  const dir = await extractArchive();
  await mkdir(path.join(dir, 'pgdata.upgrading'));
  await writeFile(path.join(dir, 'pgdata.upgrading', 'PG_VERSION'), '18\n');
  const result = await upgradeEmbeddedData(dir, log);
  expect(result.upgraded).toBe(true);
  expect(messages.some((m) => m.startsWith('warn: A previous upgrade attempt did not finish'))).toBe(true);
  const db = await openUpgraded(dir);
  try {
    const r = await db.query<{ n: number }>(`select count(*)::int as n from users`);
    expect(r.rows[0]!.n).toBe(expected.tables.users!.rowCount);
  } finally {
    await db.close();
  }
}, 180_000);

test('a folder PGlite 0.3 cannot read is left as it was, with a message that says so', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'roster-upgrade-bad-'));
  tmpDirs.push(dir);
  await mkdir(path.join(dir, 'pgdata'));
  await writeFile(path.join(dir, 'pgdata', 'PG_VERSION'), '17\n');
  await writeFile(path.join(dir, 'pgdata', 'base'), 'not a database');
  await expect(upgradeEmbeddedData(dir, log)).rejects.toThrow(/could not upgrade.*The original folder .*pgdata is untouched/is);
  expect(await readdir(dir)).toEqual(['pgdata']);
  expect((await readdir(path.join(dir, 'pgdata'))).sort()).toEqual(['PG_VERSION', 'base']);
}, 120_000);

test('Roster opens an old data folder as it starts: upgraded, migrated, and serving the old keys and users', async () => {
  const dir = await extractArchive();
  const { openDatabase } = await import('../../src/persistence/database.js');
  const { createApp } = await import('../../src/app.js');
  const { loadConfig } = await import('../../src/config/config.js');
  const { createLogger } = await import('../../src/http/logger.js');
  const notes: string[] = [];
  const db = await openDatabase({ dataDir: dir }, { migrate: true, log: { info: (o, m) => void notes.push(String(typeof o === 'string' ? o : m)), warn: () => undefined } });
  try {
    expect(notes.join('\n')).toMatch(/PostgreSQL 17/);
    expect(await db.pendingMigrations()).toEqual([]);
    const config = loadConfig({ PUBLIC_URL: 'http://roster.test', LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '0' });
    const roster = await createApp({ config, db, logger: createLogger('silent') });
    const server = roster.app.callback();
    const { default: request } = await import('supertest');
    const users = await request(server).get('/scim/v2/Users?count=100').set('authorization', `Bearer ${expected.secrets.oktaScimToken}`);
    expect(users.status).toBe(200);
    expect(users.body.totalResults).toBe(expected.tables.users!.rowCount);
    const me = await request(server).post('/graphql').set('authorization', `Bearer ${expected.secrets.ownerKey}`).send({ query: '{ me { role } }' });
    expect(me.body.data).toEqual({ me: { role: 'OWNER' } });
    const revoked = await request(server).post('/graphql').set('authorization', `Bearer ${expected.secrets.revokedAdminKey}`).send({ query: '{ me { role } }' });
    expect(revoked.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    await roster.close();
  } finally {
    await db.close();
  }
}, 180_000);
