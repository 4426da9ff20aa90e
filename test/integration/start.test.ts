import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

/**
 * `npm start`'s process end to end: config → embedded database → listen → SIGTERM → exit 0. It runs
 * the compiled dist/src/main.js (what `npm start` runs), so it needs `npm run build` first; CI
 * builds before testing, and elsewhere a missing or stale build skips it with a warning.
 */
const ROOT = path.join(import.meta.dirname, '../..');
const MAIN = path.join(ROOT, 'dist/src/main.js');

/** Newest modification time of the TypeScript sources the build compiles. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(p) : entry.name.endsWith('.ts') ? statSync(p).mtimeMs : 0);
  }
  return newest;
}

const built = existsSync(MAIN) && statSync(MAIN).mtimeMs >= Math.max(newestSource(path.join(ROOT, 'src')), newestSource(path.join(ROOT, 'migrations')));
const describeBuilt = built || process.env.CI ? describe : describe.skip;
if (!built && !process.env.CI) console.warn('Skipping the start test: dist/ is missing or older than src/; run `npm run build` first.');

/** A port nobody listens on right now. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Started {
  output(): string;
  exit: Promise<number | null>;
  kill(signal: NodeJS.Signals): void;
}

/** Every process started, so that none outlives the test file whatever fails. */
const running = new Set<Started>();

/** The exit code, or 'hung' (and the process killed) when it does not exit in time. */
async function exitOf(proc: Started, ms = 20_000): Promise<number | null | 'hung'> {
  const code = await Promise.race([proc.exit, new Promise<'hung'>((r) => setTimeout(() => r('hung'), ms).unref())]);
  if (code === 'hung') proc.kill('SIGKILL');
  return code;
}

/** Runs main.js with only the variables given (no DATABASE_URL from the test run: this is the embedded path). */
function start(env: Record<string, string>, script = MAIN, args: string[] = []): Started {
  const child = spawn(process.execPath, [script, ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const started: Started = { output: () => out, exit: Promise.resolve(null), kill: (signal) => child.kill(signal) };
  started.exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code))).finally(() => running.delete(started));
  running.add(started);
  return started;
}

async function waitReady(base: string, proc: Started): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const res = await fetch(`${base}/readyz`).catch(() => undefined);
    if (res?.status === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Roster did not become ready:\n${proc.output()}`);
}

describeBuilt('npm start', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'roster-start-'));
  });
  afterAll(async () => {
    for (const proc of running) proc.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('starts on an empty data folder, prints a first OWNER key, serves GraphQL and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dir, LOG_LEVEL: 'info' };
    const roster = start(env);
    try {
      await waitReady(base, roster);
      const key = /First start: here is an OWNER API key[^]*?(rk_[\w-]+)/.exec(roster.output())?.[1];
      expect(key).toBeDefined();
      const res = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query: '{ me { role } }' }),
      });
      expect(await res.json()).toEqual({ data: { me: { role: 'OWNER' } } });
      // The list anchors of users and groups are read at start, before any page asks for them.
      let builds = '';
      for (const until = Date.now() + 10_000; builds !== '2' && Date.now() < until; await new Promise((r) => setTimeout(r, 50))) {
        builds = /roster_list_anchor_builds_total (\d+)/.exec(await (await fetch(`${base}/metrics`)).text())?.[1] ?? '';
      }
      expect(builds).toBe('2');

      // A second process on the same folder is refused (exit 3) while the first runs.
      const second = start({ ...env, PORT: String(await freePort()) });
      expect(await exitOf(second)).toBe(3);
      expect(second.output()).toMatch(/in use by another Roster process/);
    } finally {
      roster.kill('SIGTERM');
    }
    // A shutdown that hangs must fail the test, not leave a server behind.
    const code = await exitOf(roster);
    expect({ code, output: code === 0 ? '' : roster.output() }).toEqual({ code: 0, output: '' });
    expect(roster.output()).toMatch(/"msg":"stopped"/);
  }, 300_000);

  it('refuses a bad configuration with exit code 2 and the variable named', async () => {
    const bad = start({ PORT: 'abc', DATA_DIR: dir });
    expect(await exitOf(bad)).toBe(2);
    expect(bad.output()).toMatch(/PORT: must be a port number/);
  });
  it('refuses a busy port before creating anything: no database, no key lost, one clear line', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    const fresh = await mkdtemp(path.join(os.tmpdir(), 'roster-busy-'));
    try {
      const proc = start({ PORT: String(port), HOST: '127.0.0.1', DATA_DIR: fresh, LOG_LEVEL: 'info' });
      expect(await exitOf(proc)).toBe(5);
      expect(proc.output()).toMatch(new RegExp(`Port ${port} is in use`));
      expect(proc.output()).not.toMatch(/OWNER API key|EADDRINUSE|\n\s+at /);
      expect(existsSync(path.join(fresh, 'pgdata'))).toBe(false);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
      await rm(fresh, { recursive: true, force: true });
    }
  });

  it('stops promptly on Ctrl-C during the first start and leaves a folder the next start can use', async () => {
    const fresh = await mkdtemp(path.join(os.tmpdir(), 'roster-interrupt-'));
    try {
      const env = { PORT: String(await freePort()), HOST: '127.0.0.1', DATA_DIR: fresh, LOG_LEVEL: 'info' };
      const proc = start(env);
      const deadline = Date.now() + 20_000;
      while (!/creating the embedded database/.test(proc.output()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(proc.output()).toMatch(/First start: creating the embedded database/);
      const sent = Date.now();
      proc.kill('SIGINT');
      expect(await exitOf(proc, 10_000)).toBe(130);
      expect(Date.now() - sent).toBeLessThan(10_000);
      expect(existsSync(path.join(fresh, 'pgdata'))).toBe(false);
      const again = start(env);
      try {
        await waitReady(`http://127.0.0.1:${env.PORT}`, again);
        expect(again.output()).toMatch(/OWNER API key/);
      } finally {
        again.kill('SIGTERM');
      }
      expect(await exitOf(again)).toBe(0);
    } finally {
      await rm(fresh, { recursive: true, force: true });
    }
  }, 300_000);
});

/** The Postgres server the suite may use for DATABASE_URL checks: the run's own, else the local one. */
const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const withDatabaseName = (name: string) => {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
};

describeBuilt('graceful shutdown', () => {
  it('acknowledges every write it saves: a burst of creates across SIGTERM, keep-alive connections included', async () => {
    const fresh = await mkdtemp(path.join(os.tmpdir(), 'roster-drain-'));
    const token = 's'.repeat(40);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const roster = start({ PORT: String(port), HOST: '127.0.0.1', DATA_DIR: fresh, LOG_LEVEL: 'warn', ROSTER_BOOTSTRAP_SCIM_TOKEN: token, RATE_LIMIT_PER_MINUTE: '0', SHUTDOWN_TIMEOUT_MS: '5000' });
    try {
      await waitReady(base, roster);
      const acknowledged = new Set<string>();
      const outcomes = new Map<string, number>();
      let sent = 0;
      let stopped = false;
      let exited = false;
      void roster.exit.then(() => (exited = true));
      // fetch keeps connections alive: requests after SIGTERM arrive on sockets opened before it
      const worker = async (w: number) => {
        for (let i = 0; !exited && i < 2000; i++) {
          const userName = `drain-${w}-${i}@example.com`;
          sent++;
          if (sent === 120 && !stopped) {
            stopped = true;
            roster.kill('SIGTERM');
          }
          try {
            const res = await fetch(`${base}/scim/v2/Users`, {
              method: 'POST',
              headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
              body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName }),
            });
            await res.arrayBuffer();
            outcomes.set(String(res.status), (outcomes.get(String(res.status)) ?? 0) + 1);
            if (res.status === 201) acknowledged.add(userName);
            else if (res.status === 503) expect(res.headers.get('retry-after')).toBeTruthy();
            else throw new Error(`unexpected status ${res.status}`);
          } catch (err) {
            if ((err as Error).message.startsWith('unexpected status')) throw err;
            outcomes.set('network', (outcomes.get('network') ?? 0) + 1);
            if (exited || stopped) await new Promise((r) => setImmediate(r));
          }
        }
      };
      await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map(worker));
      expect(await exitOf(roster)).toBe(0);
      const { openDatabase } = await import('../../src/persistence/database.js');
      const { querySql } = await import('../support/sql.js');
      const db = await openDatabase({ dataDir: fresh }, { migrate: true });
      try {
        const saved = new Set((await querySql<{ user_name: string }>(db, "select user_name from users where user_name like 'drain-%'")).map((r) => r.user_name));
        expect({ savedButNotAcknowledged: [...saved].filter((u) => !acknowledged.has(u)), outcomes: Object.fromEntries(outcomes) }).toEqual({
          savedButNotAcknowledged: [],
          outcomes: expect.anything(),
        });
        expect([...acknowledged].filter((u) => !saved.has(u))).toEqual([]);
        expect(acknowledged.size).toBeGreaterThanOrEqual(100);
      } finally {
        await db.close();
      }
    } finally {
      roster.kill('SIGKILL');
      await rm(fresh, { recursive: true, force: true });
    }
  }, 300_000);
});

describeBuilt('DATABASE_URL problems', () => {
  it.each([
    ['a database that does not exist', () => withDatabaseName(`roster_missing_${process.pid}`), /DATABASE_URL: the database "roster_missing_\d+" does not exist/],
    ['a server that refuses connections', () => 'postgres://postgres@127.0.0.1:1/roster', /DATABASE_URL: connection refused by 127\.0\.0\.1:1/],
  ])('%s is named in one line, without a stack trace', async (_name, url, message) => {
    const proc = start({ PORT: String(await freePort()), HOST: '127.0.0.1', DATABASE_URL: url(), LOG_LEVEL: 'info' });
    expect(await exitOf(proc)).toBe(1);
    expect(proc.output()).toMatch(message);
    expect(proc.output()).not.toMatch(/\n\s+at /);
  });

  it('a role that may not log in is named as an authentication failure, in one line', async () => {
    const role = `roster_nologin_${process.pid}`;
    const admin = new Client({ connectionString: ADMIN_URL });
    await admin.connect();
    try {
      await admin.query(`create role ${role} nologin`);
      const url = new URL(ADMIN_URL);
      url.username = role;
      const proc = start({ PORT: String(await freePort()), HOST: '127.0.0.1', DATABASE_URL: url.toString(), LOG_LEVEL: 'info' });
      expect(await exitOf(proc)).toBe(1);
      expect(proc.output()).toMatch(/DATABASE_URL: authentication failed for /);
      expect(proc.output()).not.toMatch(/\n\s+at /);
    } finally {
      await admin.query(`drop role if exists ${role}`);
      await admin.end();
    }
  });

  it('`npm run migrate` creates the database it is pointed at, and says so', async () => {
    const name = `roster_created_${process.pid}`;
    const admin = new Client({ connectionString: ADMIN_URL });
    await admin.connect();
    try {
      const res = spawnSync(process.execPath, [path.join(ROOT, 'dist/src/cli/main.js'), 'migrate'], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', DATABASE_URL: withDatabaseName(name) },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(res.stderr).toBe('');
      expect(res.status).toBe(0);
      expect(res.stdout).toMatch(new RegExp(`created the database "${name}"`));
      expect(res.stdout).toMatch(/is up to date/);
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});
