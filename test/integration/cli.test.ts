import { mkdtemp, readFile, mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Authenticator } from '../../src/auth/authenticate.js';
import { runCli } from '../../src/cli/run.js';
import { printRosterSchema } from '../../src/graphql/schema.js';
import type { Database } from '../../src/persistence/database.js';
import { createTestDatabase } from '../support/db.js';
import { querySql } from '../support/sql.js';

/** The CLI in-process, on a real database (shared by the file; the CLI's close is a no-op here). */
let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.close());

interface Run {
  code: number;
  out: string;
  err: string;
}

async function cli(argv: string[], env: Record<string, string> = {}, repoRoot?: string): Promise<Run> {
  let out = '';
  let err = '';
  const code = await runCli(argv, {
    env: { PUBLIC_URL: 'https://roster.example.com', ...env },
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    openDatabase: async () => ({ ...db, close: async () => undefined }),
    repoRoot,
  });
  return { code, out, err };
}

/** Who a secret authenticates as, or the reason it does not. */
async function whoIs(secret: string): Promise<string> {
  try {
    const p = await new Authenticator().authenticate(db.store(), secret);
    return `${p.role}${p.idp ? `:${p.idp}` : ''}`;
  } catch (e) {
    return (e as Error).message;
  }
}

const secretIn = (out: string, prefix: string) => new RegExp(`\\b${prefix}[A-Za-z0-9_-]{43}\\b`).exec(out)?.[0] ?? '';

describe('usage', () => {
  it('prints help with every command', async () => {
    const r = await cli(['help']);
    expect(r.code).toBe(0);
    for (const c of ['migrate', 'create-api-key', 'activate-provisioning', 'rotate-scim-token', 'deactivate-provisioning', 'list-credentials', 'revoke', 'recount', 'emit-schema', 'make-migration']) {
      expect(r.out).toContain(c);
    }
  });

  it.each([
    [[], /which command/],
    [['frobnicate'], /Unknown command "frobnicate"/],
    [['create-api-key', 'ci'], /needs --role/],
    [['create-api-key', 'ci', '--role', 'ROOT'], /--role must be OWNER, ADMIN or READER/],
    [['create-api-key', '--role', 'ADMIN'], /Usage: npm run roster -- create-api-key <name>/],
    [['revoke'], /Usage: npm run roster -- revoke <credentialId>/],
    [['list-credentials', '--verbose'], /Unknown option '--verbose'/],
  ])('exits 2 for %j', async (argv, message) => {
    const r = await cli(argv as string[]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  it('exits 2 with the variable named when the configuration is bad', async () => {
    const r = await cli(['list-credentials'], { LOG_LEVEL: 'loud' });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/LOG_LEVEL/);
  });
});

describe('credentials', () => {
  it('creates an API key and prints its secret once', async () => {
    const r = await cli(['create-api-key', 'deploy bot', '--role', 'reader']);
    expect(r.code).toBe(0);
    const secret = secretIn(r.out, 'rk_');
    expect(secret).not.toBe('');
    expect(await whoIs(secret)).toBe('READER');
    const list = await cli(['list-credentials']);
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/api_key\s+READER\s+deploy bot/);
    expect(list.out).not.toContain(secret);
  });

  it('revokes a credential by id, and says so when the id is unknown', async () => {
    const created = await cli(['create-api-key', 'short-lived', '--role=ADMIN']);
    const secret = secretIn(created.out, 'rk_');
    const id = /id ([0-9a-f-]{36})/.exec(created.out)![1];
    const r = await cli(['revoke', id]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Revoked API key "short-lived"/);
    expect(await whoIs(secret)).toMatch(/revoked/);
    const missing = await cli(['revoke', '00000000-0000-4000-8000-000000000000']);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/not found/);
  });
});

describe('provisioning', () => {
  it('activates okta by default and prints the SCIM base URL, the token and where to paste them', async () => {
    const r = await cli(['activate-provisioning']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('SCIM base URL:  https://roster.example.com/scim/v2');
    expect(r.out).toMatch(/In Okta: .*SCIM connector base URL/);
    const token = secretIn(r.out, 'rs_');
    expect(await whoIs(token)).toBe('PROVISIONER:okta');
  });

  it('warns when the URL points at localhost, and gives Entra its own hint', async () => {
    const r = await cli(['activate-provisioning', 'entra'], { PUBLIC_URL: '' });
    expect(r.out).toContain('SCIM base URL:  http://localhost:3000/scim/v2');
    expect(r.out).toMatch(/set PUBLIC_URL/);
    expect(r.out).toMatch(/Tenant URL/);
  });

  it('rotates a token: the old one stops working', async () => {
    const first = secretIn((await cli(['activate-provisioning', 'rotating'])).out, 'rs_');
    const r = await cli(['rotate-scim-token', 'rotating']);
    expect(r.code).toBe(0);
    const second = secretIn(r.out, 'rs_');
    expect(await whoIs(first)).toMatch(/revoked/);
    expect(await whoIs(second)).toBe('PROVISIONER:rotating');
  });

  it('deactivates provisioning, and fails clearly for an IdP that was never activated', async () => {
    const token = secretIn((await cli(['activate-provisioning', 'paused'])).out, 'rs_');
    const r = await cli(['deactivate-provisioning', 'paused']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Provisioning from paused is deactivated/);
    expect(await whoIs(token)).toMatch(/deactivated/);
    const never = await cli(['deactivate-provisioning', 'never']);
    expect(never.code).toBe(1);
    expect(never.err).toMatch(/"never" not found/);
  });
});

describe('maintenance', () => {
  it('recount rebuilds list totals after rows were loaded with triggers off, and says what it corrected', async () => {
    const total = async () =>
      Number(
        await db
          .store()
          .users.list({ offset: 0, limit: 1 })
          .then((p) => p.totalCount()),
      );
    const before = await total();
    // a bulk load that bypasses triggers, as a data-only restore with --disable-triggers does
    await querySql(db, 'alter table users disable trigger user');
    try {
      await querySql(db, `insert into users (id, user_name, created_at, updated_at) select gen_random_uuid(), 'loaded' || n || '@example.com', now(), now() from generate_series(1, 7) n`);
    } finally {
      await querySql(db, 'alter table users enable trigger user');
    }
    expect(await total()).toBe(before);
    const r = await cli(['recount']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`users: ${before + 7} (the log had ${before}: corrected)`);
    expect(r.out).toMatch(/groups: \d+ \(as the log had it\)/);
    expect(await total()).toBe(before + 7);
    expect((await cli(['recount'])).out).toContain(`users: ${before + 7} (as the log had it)`);
  });

  it('migrate reports an up-to-date database', async () => {
    const r = await cli(['migrate']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/is up to date \(\d+ migrations?\)/);
  });

  it('emit-schema writes the SDL, and leaves an up-to-date file alone', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'roster-cli-'));
    try {
      await mkdir(path.join(root, 'schema'));
      const r = await cli(['emit-schema'], {}, root);
      expect(r.code).toBe(0);
      expect(await readFile(path.join(root, 'schema', 'schema.graphql'), 'utf8')).toBe(printRosterSchema());
      expect((await cli(['emit-schema'], {}, root)).out).toMatch(/up to date/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
