import request from 'supertest';
import { ScimRequestLog } from '../../../src/http/scim-request-log.js';
import { createTestApp, type TestApp, unique } from '../../support/app.js';

/** Recent SCIM requests per IdP: recorded by the app around the SCIM facade, read through GraphQL. */
let t: TestApp;
let okta: string;
let entra: string;
interface Req {
  idp: string;
  at: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
}
const RECENT = 'query($i: String!, $f: Int) { scimRequests(idp: $i, first: $f) { idp at method path status durationMs } }';
const recent = async (idp: string, first = 100): Promise<Req[]> => (await t.ok<{ scimRequests: Req[] }>(RECENT, { i: idp, f: first })).scimRequests;
const scim = (method: 'get' | 'post', path: string, token: string) => request(t.server)[method](`/scim/v2${path}`).set('authorization', `Bearer ${token}`);
/** Writes what the app buffered: no waiting on its once-a-second timer. */
const flush = () => ScimRequestLog.of(t.db)!.flush();
const activate = async (idp: string): Promise<string> =>
  (await t.ok<{ activateProvisioning: { token: string } }>('mutation($i: String!) { activateProvisioning(idp: $i) { token } }', { i: idp })).activateProvisioning.token;

beforeAll(async () => {
  t = await createTestApp();
  okta = await activate('okta');
  entra = await activate('entra');
  await activate('google');
});
afterAll(() => t.close());

describe('scimRequests', () => {
  let filter: string;
  it('shows each IdP its own requests, newest first, with method, path and status', async () => {
    expect((await scim('get', '/ServiceProviderConfig', okta)).status).toBe(200);
    const created = await scim('post', '/Users', okta)
      .set('content-type', 'application/scim+json')
      .send(JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: unique('u') }));
    expect(created.status).toBe(201);
    filter = `/Users?filter=${encodeURIComponent(`userName eq "${(created.body as { userName: string }).userName}"`)}`;
    expect((await scim('get', filter, okta)).status).toBe(200);
    expect((await scim('get', '/Users/00000000-0000-4000-8000-000000000000', okta)).status).toBe(404);
    expect((await scim('get', '/Users?count=0', entra)).status).toBe(200);
    // refused: no IdP to record it under
    expect((await scim('get', '/ServiceProviderConfig', 'scim_not_a_token')).status).toBe(401);
    expect((await request(t.server).get('/scim/v2/Users')).status).toBe(401);

    await flush();

    const o = await recent('okta');
    expect(o.map((r) => [r.idp, r.method, r.path, r.status])).toEqual([
      ['okta', 'GET', '/scim/v2/Users/00000000-0000-4000-8000-000000000000', 404],
      ['okta', 'GET', `/scim/v2${filter}`, 200],
      ['okta', 'POST', '/scim/v2/Users', 201],
      ['okta', 'GET', '/scim/v2/ServiceProviderConfig', 200],
    ]);
    for (let i = 1; i < o.length; i++) expect(o[i - 1].at >= o[i].at).toBe(true);
    expect(o.every((r) => Number.isInteger(r.durationMs) && r.durationMs >= 0)).toBe(true);
    expect((await recent('entra')).map((r) => [r.idp, r.method, r.path, r.status])).toEqual([['entra', 'GET', '/scim/v2/Users?count=0', 200]]);
    expect(await recent('google')).toEqual([]);
    expect((await recent('okta', 2)).map((r) => r.status)).toEqual([404, 200]);
    const [{ n }] = await t.sql<{ n: number }>('select count(*)::int as n from scim_requests where status = 401');
    expect(n).toBe(0);
  });

  it('sets Provisioning.lastScimRequestAt: the newest request of each IdP, null when none', async () => {
    const d = await t.ok<{ provisioning: { idp: string; lastScimRequestAt: string | null }[] }>('{ provisioning { idp lastScimRequestAt } }');
    const last = Object.fromEntries(d.provisioning.map((p) => [p.idp, p.lastScimRequestAt]));
    expect(last).toEqual({ okta: (await recent('okta', 1))[0].at, entra: (await recent('entra', 1))[0].at, google: null });
  });

  it('keeps the newest 100 requests per IdP, across flushes and within one', async () => {
    const burst = async (n: number, path: string) => {
      for (let i = 0; i < n; i += 15) await Promise.all(Array.from({ length: Math.min(15, n - i) }, () => scim('get', path, okta).expect(200)));
    };
    await burst(60, '/ServiceProviderConfig?first');
    await flush();
    expect(await recent('okta')).toHaveLength(64);
    await burst(45, '/ServiceProviderConfig?second');
    await flush();
    const kept = await recent('okta');
    expect(kept).toHaveLength(100);
    expect(kept.filter((r) => r.path.endsWith('?second'))).toHaveLength(45);
    expect(kept.filter((r) => r.path.endsWith('?first'))).toHaveLength(55);
    const [{ n }] = await t.sql<{ n: number }>("select count(*)::int as n from scim_requests where idp = 'okta'");
    expect(n).toBe(100);
    // one flush of more than 100: the newest 100 of the batch
    await burst(105, '/ServiceProviderConfig?third');
    await flush();
    const third = await recent('okta');
    expect(third.map((r) => r.path).every((p) => p.endsWith('?third'))).toBe(true);
    const [{ m }] = await t.sql<{ m: number }>("select count(*)::int as m from scim_requests where idp = 'okta'");
    expect(m).toBe(100);
    // the other IdPs are untouched
    expect(await recent('entra')).toHaveLength(1);
  });

  it('cuts long paths to 512 characters', async () => {
    const long = `/Users?filter=${encodeURIComponent(`userName eq "${'x'.repeat(700)}"`)}`;
    expect((await scim('get', long, entra)).status).toBe(200);
    await flush();
    const [newest] = await recent('entra', 1);
    expect(newest.path).toBe(`/scim/v2${long}`.slice(0, 512));
  });

  it('is for OWNER and ADMIN only, and pages at most 100', async () => {
    const reader = await t.apiKey('READER');
    expect((await t.gql(RECENT, { i: 'okta' }, reader)).codes).toEqual(['FORBIDDEN']);
    expect((await t.gql('{ provisioning { lastScimRequestAt } }', {}, reader)).codes).toEqual(['FORBIDDEN']);
    expect((await t.gql(RECENT, { i: 'okta', f: 101 })).codes).toEqual(['INVALID_VALUE']);
    expect((await t.gql(RECENT, { i: 'okta', f: -1 })).codes).toEqual(['INVALID_VALUE']);
    const admin = await t.apiKey('ADMIN');
    expect((await t.ok<{ scimRequests: Req[] }>(RECENT, { i: 'okta', f: 3 }, admin)).scimRequests).toHaveLength(3);
  });
});
