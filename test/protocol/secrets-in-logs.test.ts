import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { createApp, type RosterApp } from '../../src/app.js';
import { bootstrap } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/http/logger.js';
import type { Database } from '../../src/persistence/database.js';
import { createTestDatabase } from '../support/db.js';

/**
 * Secrets never reach the log: a run of requests that carry API keys, SCIM tokens and passwords
 * (of the right type and of wrong ones, which fail with their values in graphql-js's messages),
 * against an app that logs everything at debug level into a buffer; then no secret may be in it.
 */
const OWNER = 'rk_logtest_owner_key_0123456789abcdefghijklmn';
const SCIM = 'scim-bootstrap-secret-0123456789abcdefghijklmn';

let db: Database;
let roster: RosterApp;
let server: Server;
let base: string;
const log: string[] = [];
/** Every secret the requests below used; none may be in the log. */
const secrets = new Set<string>([OWNER, SCIM]);

beforeAll(async () => {
  db = await createTestDatabase();
  const config = loadConfig({
    PUBLIC_URL: 'http://roster.test',
    ROSTER_BOOTSTRAP_ADMIN_TOKEN: OWNER,
    ROSTER_BOOTSTRAP_SCIM_TOKEN: SCIM,
    RATE_LIMIT_PER_MINUTE: '0',
    AUTH_FAILURES_PER_MINUTE: '0',
    LOG_LEVEL: 'debug',
  });
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      log.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = createLogger('debug', sink);
  await bootstrap(config, db, logger);
  roster = await createApp({ config, db, logger });
  server = http.createServer(roster.app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await roster.close();
  await db.close();
});

async function gql(
  query: string,
  variables: Record<string, unknown>,
  key: string | null,
): Promise<{ status: number; body: { data?: Record<string, unknown> | null; errors?: { message: string }[] } }> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  const res = await fetch(`${base}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  return { status: res.status, body: (await res.json()) as { data?: Record<string, unknown> | null; errors?: { message: string }[] } };
}

async function scim(method: string, path: string, body: unknown, token: string): Promise<number> {
  const res = await fetch(`${base}/scim/v2${path}`, {
    method,
    headers: { 'content-type': 'application/scim+json', authorization: `Bearer ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
}

const secret = (label: string) => {
  const s = `${label}-${Math.random().toString(36).slice(2)}-S3cret!`;
  secrets.add(s);
  return s;
};

it('logs none of the secrets a sequence of requests used', async () => {
  // API keys: issued, used, presented wrong.
  const issued = await gql('mutation { createApiKey(name: "log test", role: "ADMIN") { secret } }', {}, OWNER);
  const admin = (issued.body.data!.createApiKey as { secret: string }).secret;
  secrets.add(admin);
  expect((await gql('{ me { role } }', {}, admin)).body.data).toEqual({ me: { role: 'ADMIN' } });
  const forged = 'rk_forged_key_value_0123456789abcdefghij';
  secrets.add(forged);
  const refused = await gql('{ me { role } }', {}, forged);

  // Passwords of the right type, in variables and in a literal.
  const create = 'mutation($i: UserInputType!) { createUser(input: $i) { id } }';
  const ada = await gql(create, { i: { userName: 'log-ada', password: secret('pw-right') } }, admin);
  const adaId = (ada.body.data!.createUser as { id: string }).id;
  const literal = secret('pw-literal');
  expect((await gql(`mutation { createUser(input: { userName: "log-bob", password: "${literal}" }) { id } }`, {}, admin)).body.errors).toBeUndefined();
  await gql('mutation($id: ID!, $p: String) { updateUser(id: $id, input: { password: $p }) { id } }', { id: adaId, p: secret('pw-update') }, admin);

  // Passwords of wrong types: graphql-js repeats such values in its error messages.
  const numeric = 987_654_321_987_654;
  const wrongTypes: { q: string; status: number }[] = [];
  secrets.add(String(numeric));
  for (const [q, v] of [
    [create, { i: { userName: 'log-wrong-1', password: [secret('pw-in-list')] } }],
    [create, { i: { userName: 'log-wrong-2', password: { value: secret('pw-in-object') } } }],
    [create, { i: { userName: 'log-wrong-3', password: numeric } }],
    ['mutation($p: String) { createUser(input: { userName: "log-wrong-4", password: $p }) { id } }', { p: [secret('pw-var')] }],
    ['mutation($password: String) { createUser(input: { userName: "log-wrong-5", password: $password }) { id } }', { password: { x: secret('pw-named') } }],
    ['mutation($id: ID!, $p: String) { updateUser(id: $id, input: { password: $p }) { id } }', { id: adaId, p: [secret('pw-update-wrong')] }],
    ['mutation($p: Int) { createUser(input: { userName: "log-wrong-6", password: $p }) { id } }', { p: secret('pw-declared-int') }],
  ] as const) {
    const r = await gql(q, v, admin);
    wrongTypes.push({ q, status: r.status });
    for (const s of secrets) expect(JSON.stringify(r.body)).not.toContain(s);
  }

  // SCIM: the bootstrap token, a token issued over GraphQL, passwords right and wrong, and a refused token.
  const activated = await gql('mutation { activateProvisioning(idp: "entra") { token } }', {}, admin);
  const entra = (activated.body.data!.activateProvisioning as { token: string }).token;
  secrets.add(entra);
  const schemas = ['urn:ietf:params:scim:schemas:core:2.0:User'];
  expect(await scim('POST', '/Users', { schemas, userName: 'log-scim-1', password: secret('scim-pw') }, SCIM)).toBe(201);
  expect(await scim('POST', '/Users', { schemas, userName: 'log-scim-2', password: secret('scim-pw-2') }, entra)).toBe(201);
  expect(await scim('POST', '/Users', { schemas, userName: 'log-scim-3', password: [secret('scim-pw-list')] }, SCIM)).toBeLessThan(500);
  expect(await scim('POST', '/Users', { schemas, userName: 'log-scim-4', password: { value: secret('scim-pw-object') } }, SCIM)).toBeLessThan(500);
  expect(await scim('GET', '/Users?count=1', undefined, `rs_${secret('scim-forged')}`)).toBe(401);

  // A GET with the password in the URL's variables.
  const url = `${base}/graphql?query=${encodeURIComponent('query($password: String) { me { role } }')}&variables=${encodeURIComponent(JSON.stringify({ password: secret('pw-in-url') }))}`;
  await (await fetch(url, { headers: { authorization: `Bearer ${admin}`, 'apollo-require-preflight': '1' } })).arrayBuffer();

  const text = log.join('');
  if (process.env.SHOW_LOG) console.log(text);
  expect(text.length).toBeGreaterThan(0);
  expect(text).toMatch(/"level":20/); // debug lines were written
  expect([...secrets].filter((s) => text.includes(s))).toEqual([]);
  // The answers, checked last so that a leak is what a failure reports first.
  expect(refused.status).toBe(401);
  expect(wrongTypes.filter((w) => w.status !== 400)).toEqual([]);
});

it('redacts secrets by field, in GraphQL variables, and inside error and log messages', () => {
  const lines: string[] = [];
  const logger = createLogger('debug', { write: (s: string) => void lines.push(s) });
  const pw = secret('direct-pw');
  const key = `rk_${secret('direct-key')}`;
  logger.info({ req: { headers: { authorization: `Bearer ${key}` } }, user: { password: pw }, deep: { a: { b: { token: pw } } } }, 'fields');
  logger.info({ variables: { p: pw }, request: { variables: { anything: pw } } }, 'GraphQL variables');
  logger.error({ err: new Error(`Variable "$p" got invalid value ["${pw}"]; String cannot represent a non string value: ["${pw}"]`) }, 'coercion');
  logger.error({ err: Object.assign(new Error(`insert failed for ${key}`), { query: `select 1 where key = '${key}'`, cause: new Error(`Bearer ${pw}`) }) }, 'driver');
  logger.warn(`presented ${key} and Bearer ${pw}`);
  const text = lines.join('');
  expect(text).toContain('[redacted]');
  expect(lines.filter((l) => l.includes(pw) || l.includes(key))).toEqual([]);
});
