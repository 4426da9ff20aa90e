import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../src/cli/run.js';
import type { Database } from '../../src/persistence/database.js';
import { createTestDatabase } from '../support/db.js';
import { IDP_KEYS, idpMetadataXml, TEST_IDP } from '../support/saml-idp.js';
import { querySql } from '../support/sql.js';

/** The `saml` commands in-process, on a real database, with metadata files on disk. */
let db: Database;
let dir: string;
beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(path.join(os.tmpdir(), 'roster-cli-saml-'));
});
afterAll(async () => {
  await db.close();
  await rm(dir, { recursive: true, force: true });
});

async function cli(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, {
    env: { PUBLIC_URL: 'https://roster.example.com', ...env },
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    openDatabase: async () => ({ ...db, close: async () => undefined }),
  });
  return { code, out, err };
}

async function file(name: string, text: string): Promise<string> {
  const at = path.join(dir, name);
  await writeFile(at, text);
  return at;
}

const row = async (idp: string) =>
  (
    await querySql<{ entity_id: string; certificates: string[] | string; is_default: boolean; jit_provisioning: boolean; match_email: boolean; want_response_signed: boolean; role_mappings: unknown }>(
      db,
      'select * from saml_connections where idp = ?',
      [idp],
    )
  )[0];
const json = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));
const actions = async (idp: string) =>
  (await querySql<{ action: string; actor_label: string }>(db, 'select action, actor_label from audit_events where resource_id = ? order by at, id', [idp])).map(
    (r) => `${r.action} by ${r.actor_label}`,
  );

describe('saml configure', () => {
  it('configures Okta from its metadata file and prints the SP entity ID and ACS URL to paste into it', async () => {
    const metadata = await file('okta.xml', idpMetadataXml({ keys: [IDP_KEYS.a, IDP_KEYS.b] }));
    const r = await cli(['saml', 'configure', '--idp', 'okta', '--metadata', metadata, '--default']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('SAML IdP okta is configured.');
    expect(r.out).toContain(`IdP entity ID:  ${TEST_IDP.entityId}`);
    expect(r.out).toContain(TEST_IDP.ssoUrl);
    expect(r.out).toContain(new X509Certificate(IDP_KEYS.a.certificatePem).fingerprint256);
    expect(r.out).toContain(new X509Certificate(IDP_KEYS.b.certificatePem).fingerprint256);
    expect(r.out).toMatch(/SP entity ID: +https:\/\/roster\.example\.com\/saml\/sp\/metadata\b/);
    expect(r.out).toMatch(/ACS URL: +https:\/\/roster\.example\.com\/saml\/sp\/acs\b/);
    expect(r.out).toContain('https://roster.example.com/saml/sp/login ');
    expect(r.out).toMatch(/Options: +default\n/);
    const stored = (await row('okta'))!;
    expect(stored.entity_id).toBe(TEST_IDP.entityId);
    expect(json<string[]>(stored.certificates)).toEqual([IDP_KEYS.a.certificate, IDP_KEYS.b.certificate]);
    expect(stored).toMatchObject({ is_default: true, jit_provisioning: false, match_email: false, want_response_signed: false });
    expect(await actions('okta')).toEqual(['saml.configure by system', 'saml.options by system']);
  });

  it('sets only the options whose flags are given: a re-run for a new certificate keeps the others', async () => {
    const first = await file('entra.xml', idpMetadataXml({ entityId: 'https://sts.windows.net/tenant/', keys: [IDP_KEYS.a] }));
    expect((await cli(['saml', 'configure', '--idp', 'entra', '--metadata', first, '--jit', '--match-email', '--want-response-signed'])).code).toBe(0);
    expect(await row('entra')).toMatchObject({ is_default: false, jit_provisioning: true, match_email: true, want_response_signed: true });
    const rotated = await file('entra-2.xml', idpMetadataXml({ entityId: 'https://sts.windows.net/tenant/', keys: [IDP_KEYS.b] }));
    const r = await cli(['saml', 'configure', '--idp', 'entra', '--metadata', rotated]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Options: +jit, match-email, want-response-signed\n/);
    expect(r.out).toContain('https://roster.example.com/saml/sp/login?idp=entra');
    expect(await row('entra')).toMatchObject({ is_default: false, jit_provisioning: true, match_email: true, want_response_signed: true });
    expect(json<string[]>((await row('entra'))!.certificates)).toEqual([IDP_KEYS.b.certificate]);
    // okta stays the default
    expect((await row('okta'))!.is_default).toBe(true);
  });

  it('refuses metadata it cannot use (exit 1) and stores nothing', async () => {
    for (const [name, text] of [
      ['doctype.xml', '<!DOCTYPE x [<!ENTITY e "x">]><x/>'],
      ['nocert.xml', idpMetadataXml({ keys: [] })],
      ['text.xml', 'not xml at all'],
    ]) {
      const r = await cli(['saml', 'configure', '--idp', 'broken', '--metadata', await file(name, text)]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/^roster: The IdP metadata/);
    }
    expect(await row('broken')).toBeUndefined();
  });

  it.each([
    [['saml', 'configure', '--metadata', 'okta.xml'], /saml configure needs --idp/],
    [['saml', 'configure', '--idp', 'okta'], /saml configure needs --metadata/],
    [['saml', 'configure', '--idp', 'okta', '--metadata', '/nonexistent/okta.xml'], /cannot read \/nonexistent\/okta\.xml: ENOENT/],
    [['saml', 'configure', '--idp', 'okta', '--metadata', 'no-such-okta.xml'], /cannot read .*no-such-okta\.xml: ENOENT \(npm runs the CLI in .*: give the file's absolute path\)/],
    [['saml', 'configure', '--idp', 'okta', '--metadata', 'x', '--verbose'], /Unknown option '--verbose'/],
    [['saml'], /saml needs a command:[\s\S]*saml configure --idp <idp> --metadata <file>[\s\S]*saml roles[\s\S]*saml list[\s\S]*saml remove/],
    [['saml', 'frobnicate'], /Unknown command "saml frobnicate"/],
    [['saml', 'roles', '--idp', 'okta', '--map', 'no equals sign'], /--map takes "<group>=<ROLE>"/],
    [['saml', 'remove'], /saml remove needs --idp/],
  ])('exits 2 for %j', async (argv, message) => {
    const r = await cli(argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  it('lists the saml commands in help, and helps with one', async () => {
    const help = await cli(['help']);
    for (const c of ['saml configure --idp <idp> --metadata <file>', 'saml list', 'saml roles --idp <idp>', 'saml remove --idp <idp>', 'create-api-key']) expect(help.out).toContain(c);
    const one = await cli(['saml', 'roles', '--help']);
    expect(one.code).toBe(0);
    expect(one.out).toContain('Usage: npm run roster -- saml roles --idp <idp> [--map "<group>=<ROLE>"]…');
    const family = await cli(['saml', '--help']);
    expect(family.code).toBe(0);
    expect(family.out).toContain('saml remove --idp <idp>');
  });
});

describe('saml roles, list and remove', () => {
  it('replaces the role mappings with every --map given, and clears them without one', async () => {
    const r = await cli(['saml', 'roles', '--idp', 'okta', '--map', 'Roster Admins=ADMIN', '--map', 'Readers=reader', '--map=A=B Team=OWNER']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Roster Admins → ADMIN');
    expect(json((await row('okta'))!.role_mappings)).toEqual([
      { group: 'Roster Admins', role: 'ADMIN' },
      { group: 'Readers', role: 'READER' },
      { group: 'A=B Team', role: 'OWNER' },
    ]);
    const list = await cli(['saml', 'list']);
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/^IDP +ENTITY ID +CERTIFICATES +OPTIONS +ROLE MAPPINGS +SIGN-IN URL$/m);
    expect(list.out).toMatch(
      /^okta +http:\/\/www\.okta\.com\/exk1rostertest0000 +2, first expires \d{4}-\d\d-\d\d \d\d:\d\dZ +default +Roster Admins=ADMIN; Readers=READER; A=B Team=OWNER +https:\/\/roster\.example\.com\/saml\/sp\/login$/m,
    );
    expect(list.out).toMatch(/^entra +https:\/\/sts\.windows\.net\/tenant\/ +1, .* +jit,match-email,want-response-signed +- +https:\/\/roster\.example\.com\/saml\/sp\/login\?idp=entra$/m);
    expect(list.out).toContain('SP entity ID https://roster.example.com/saml/sp/metadata, ACS URL https://roster.example.com/saml/sp/acs');

    const cleared = await cli(['saml', 'roles', '--idp', 'okta']);
    expect(cleared.code).toBe(0);
    expect(cleared.out).toMatch(/no role mappings/);
    expect(json((await row('okta'))!.role_mappings)).toEqual([]);
  });

  it('refuses a role that is not READER, ADMIN or OWNER, and an IdP that is not configured (exit 1)', async () => {
    const bad = await cli(['saml', 'roles', '--idp', 'okta', '--map', 'Everyone=USER']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/READER, ADMIN or OWNER/);
    const missing = await cli(['saml', 'roles', '--idp', 'nowhere', '--map', 'Admins=ADMIN']);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/not found/i);
  });

  it('removes an IdP, and says so when there is none', async () => {
    const r = await cli(['saml', 'remove', '--idp', 'entra']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Removed SAML IdP entra/);
    expect(await row('entra')).toBeUndefined();
    expect((await actions('entra')).at(-1)).toBe('saml.remove by system');
    const again = await cli(['saml', 'remove', '--idp', 'entra']);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/no SAML IdP "entra"/);
    const list = await cli(['saml', 'list']);
    expect(list.out).not.toMatch(/^entra /m);
    await cli(['saml', 'remove', '--idp', 'okta']);
    expect((await cli(['saml', 'list'])).out).toMatch(/No SAML IdPs yet/);
  });
});
