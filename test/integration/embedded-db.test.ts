import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../src/cli/run.js';
import { openDatabase, type Database } from '../../src/persistence/database.js';
import { DataDirLockedError } from '../../src/persistence/embedded.js';
import { querySql } from '../support/sql.js';

/**
 * The embedded default on disk, whatever DATABASE_URL says: one process per data folder (two
 * would silently lose writes), and data that outlives the process.
 */
let dir: string;
let first: Database | undefined;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'roster-embedded-'));
  first = await openDatabase({ dataDir: dir }, { migrate: true });
});
afterAll(async () => {
  await first?.close();
  await rm(dir, { recursive: true, force: true });
});

const sql = (db: Database, text: string, bindings: unknown[] = []) => querySql(db, text, bindings);

test('a second open of the same data folder is refused with a clear message', async () => {
  const second = openDatabase({ dataDir: dir }, { migrate: true });
  await expect(second).rejects.toBeInstanceOf(DataDirLockedError);
  await expect(second).rejects.toThrow(`The data folder ${dir} is in use by another Roster process`);
});

test('the CLI says to stop the server or use GraphQL instead, and exits 3', async () => {
  let err = '';
  const code = await runCli(['activate-provisioning', 'okta'], { env: { DATA_DIR: dir }, stdout: () => undefined, stderr: (t) => (err += t) });
  expect(code).toBe(3);
  expect(err).toMatch(/in use by another Roster process/);
  expect(err).toMatch(/stop the server/);
  expect(err).toContain('mutation { activateProvisioning(idp: "okta") { scimBaseUrl token } }');
});

test.each([
  ['migrate', true],
  ['recount', false],
])('`%s` on a folder in use says to stop the server, and mentions migrations only when it is about them', async (command, aboutMigrations) => {
  let err = '';
  const code = await runCli([command], { env: { DATA_DIR: dir }, stdout: () => undefined, stderr: (t) => (err += t) });
  expect(code).toBe(3);
  expect(err).toMatch(/stop the server and run this command again/);
  expect(/applies pending migrations/.test(err)).toBe(aboutMigrations);
});

test('data survives closing and reopening', async () => {
  await sql(first!, "insert into users (id, user_name, created_at, updated_at) values ('00000000-0000-4000-8000-000000000001', 'kept@example.com', now(), now())");
  await first!.close();
  first = undefined;
  // the lock went with the close: opening again is allowed
  first = await openDatabase({ dataDir: dir }, { migrate: true });
  expect(await sql(first, 'select user_name from users')).toEqual([{ user_name: 'kept@example.com' }]);
});
